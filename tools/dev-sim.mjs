#!/usr/bin/env node
/* global console, process, setTimeout, clearTimeout -- a Node script; the lint config declares Node globals for TypeScript only */
/**
 * `npm run dev:sim`: the LangGraph dev server (Studio, the SDK) with no API keys. Starts the
 * loopback OpenAI-compatible simulator on a free port, points every provider of the deployed
 * graphs at it (OPENAI_BASE_URL, TOGETHER_BASE_URL, GROQ_BASE_URL, OLLAMA_BASE_URL and dummy
 * keys, as `moa run --simulate` does), runs `langgraphjs dev` with that environment, and stops
 * both on exit, Ctrl+C or SIGTERM.
 *
 * Usage: npm run dev:sim [-- --port 2024 --sim-port 0 --sim-latency-ms 0 <more langgraphjs dev flags>]
 * Needs the build (`npm run build`; `npm install` runs it).
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist", "src");
if (!existsSync(join(dist, "cli", "simulated-environment.js"))) {
  console.error("dev:sim runs the built simulator: run `npm run build` first.");
  process.exit(1);
}
const { startSimulator } = await import(pathToFileURL(join(dist, "testing", "index.js")).href);
const { simulatedEnvironment } = await import(
  pathToFileURL(join(dist, "cli", "simulated-environment.js")).href
);

// Our flags; everything else goes to `langgraphjs dev` unchanged.
const own = { "--port": "2024", "--sim-port": "0", "--sim-latency-ms": "0" };
const passThrough = [];
const argv = process.argv.slice(2);
for (let index = 0; index < argv.length; index++) {
  const [name, inline] = argv[index].split("=", 2);
  if (name in own) {
    const value = inline ?? argv[++index];
    if (!/^\d+$/.test(value ?? "")) {
      console.error(`dev:sim: ${name} must be a whole number ≥ 0, got "${value ?? ""}".`);
      process.exit(2);
    }
    own[name] = value;
  } else passThrough.push(argv[index]);
}

const simulator = await startSimulator({
  port: Number(own["--sim-port"]),
  defaultModel: { latencyMs: Number(own["--sim-latency-ms"]) },
});
const env = Object.fromEntries(
  Object.entries(
    simulatedEnvironment(simulator.url, {
      ...process.env,
      LANGGRAPH_CLI_NO_ANALYTICS: "1",
    }),
  ).filter((entry) => entry[1] !== undefined),
);
console.log(
  `dev:sim: simulator on ${simulator.url}; every provider of the deployed graphs points at it (no keys needed).`,
);

const cli = realpathSync(join(root, "node_modules", ".bin", "langgraphjs"));
const server = spawn(
  process.execPath,
  [cli, "dev", "--host", "127.0.0.1", "--no-browser", "--port", own["--port"], ...passThrough],
  { cwd: process.cwd(), env, stdio: "inherit" },
);

let stopping;
function stop(signal) {
  stopping ??= (async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill(signal);
    // The dev server stops its own worker on SIGINT; force it after 10 s.
    const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
    await new Promise((resolve) =>
      server.exitCode !== null || server.signalCode !== null
        ? resolve()
        : server.once("exit", resolve),
    );
    clearTimeout(timer);
    await simulator.close();
  })();
  return stopping;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    void stop(signal).then(() => process.exit(0));
  });
}
server.once("exit", (code, signal) => {
  void stop("SIGTERM").then(() => process.exit(code ?? (signal ? 1 : 0)));
});
