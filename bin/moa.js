#!/usr/bin/env node
// The `moa` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically by `npm install` in a clone through the `prepare` script).
import { main } from "../dist/src/cli/main.js";

await main();
