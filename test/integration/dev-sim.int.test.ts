// `npm run dev:sim`: the dev server with every provider pointed at the loopback simulator, so
// the deployed graphs answer through Studio and the SDK with no keys at all.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSyntheticReply } from "../../src/testing/index.js";
import {
  REPOSITORY_ROOT,
  startDevServer,
  type DevServer,
} from "../fixtures/platform/dev-server.js";

const SCRIPT = join(REPOSITORY_ROOT, "tools", "dev-sim.mjs");
let server: DevServer;

beforeAll(async () => {
  // No provider variable at all: the script alone must supply base URLs and keys.
  server = await startDevServer({
    command: (port, configPath) => [
      SCRIPT,
      "--port",
      String(port),
      "--no-reload",
      "--config",
      configPath,
    ],
  });
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

describe("npm run dev:sim", () => {
  it("is the package script that runs tools/dev-sim.mjs", () => {
    const manifest = JSON.parse(readFileSync(join(REPOSITORY_ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts["dev:sim"]).toBe("node tools/dev-sim.mjs");
  });

  it("answers the `moa` graph through the SDK with no API keys (the preset's six providers' models simulated)", async () => {
    expect(server.output()).toMatch(/dev:sim: simulator on http:\/\/127\.0\.0\.1:\d+/);
    const client = new Client({ apiUrl: server.url });
    const values = (await client.runs.wait(null, "moa", {
      input: { messages: [{ role: "user", content: "Why is the sky blue?" }] },
      context: { preset: "moa-lite" },
    })) as { messages: { content: unknown }[]; proposals: { status: string }[] };
    const reply = parseSyntheticReply(String(values.messages.at(-1)?.content));
    expect(reply?.references).toBe(6);
    expect(values.proposals.filter((proposal) => proposal.status === "ok")).toHaveLength(6);
  });
});
