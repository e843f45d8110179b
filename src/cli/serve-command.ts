import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Command } from "commander";
import type { ProviderEnvironment } from "../models/index.js";
import { createMoaServeApp } from "../serve/create-moa-serve-app.js";
import { serveModelLoader } from "../serve/serve-model-loader.js";
import { virtualModels } from "../serve/virtual-models.js";
import { withCliRuntime } from "./cli-runtime.js";
import { CliError, EXIT } from "./cli-error.js";
import { integerFlag } from "./eval-options.js";
import type { CliIo } from "./cli-io.js";
import { loadPriceTable, PRICE_FILE_HELP } from "./price-file.js";
import { SIMULATION } from "./run-command.js";

export { serveModelLoader };

/** Flags of `moa serve`. */
export interface ServeFlags {
  host: string;
  port: string;
  config?: string;
  apiKeyEnv?: string;
  maxConcurrency: string;
  prices?: string;
  simulate?: boolean;
}

/** How long SIGTERM waits for in-flight runs before closing their connections. */
export const SHUTDOWN_GRACE_MS = 30_000;

/** Registers `moa serve`: MoA virtual models behind an OpenAI-compatible HTTP API. */
export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command("serve")
    .description("serve MoA presets and configured mixtures as OpenAI-compatible virtual models")
    .option("--host <host>", "interface to bind (non-loopback needs --api-key-env)", "127.0.0.1")
    .option("--port <port>", "port to listen on (0 = any free port)", "8000")
    .option("--config <file>", "JSON file of virtual models: name → MoA configuration")
    .option(
      "--api-key-env <name>",
      "require `Authorization: Bearer <value of this environment variable>`",
    )
    .option("--max-concurrency <n>", "runs at once; a bounded queue beyond, then 429", "4")
    .option("--prices <file>", PRICE_FILE_HELP)
    .option("--simulate", "serve against the in-process loopback simulator (no API keys)")
    .action(async (flags: ServeFlags) => {
      const settings = checkServeFlags(flags, io.env);
      const models = virtualModels(readConfigFile(flags.config), flags.config ?? "serve config");
      const prices = loadPriceTable(flags.prices);
      io.exitCode = await withCliRuntime(
        {
          ...(flags.simulate ? { simulation: SIMULATION } : {}),
          banner: (url) =>
            `SIMULATED server: every virtual model answers from a loopback simulator at ${url} (synthetic answers, no API keys).\n`,
        },
        io,
        async ({ env }) => {
          const server = await listen(
            createMoaServeApp({
              models,
              loadModel: serveModelLoader(env),
              prices,
              maxConcurrency: settings.maxConcurrency,
              ...(settings.apiKey !== undefined ? { apiKey: settings.apiKey } : {}),
              log: io.stderr,
            }).fetch,
            flags.host,
            settings.port,
          );
          const { port } = server.address() as AddressInfo;
          io.stderr(
            `moa serve: OpenAI-compatible API at http://${flags.host}:${port}/v1 ` +
              `(models: ${Object.keys(models).join(", ")}). SIGTERM or Ctrl+C stops.\n`,
          );
          await new Promise<void>((resolve) => {
            process.once("SIGINT", resolve);
            process.once("SIGTERM", resolve);
          });
          io.stderr("moa serve: stopping; finishing in-flight runs…\n");
          await shutDown(server, SHUTDOWN_GRACE_MS);
          return EXIT.ok;
        },
      );
    });
}

/**
 * Checks the flags of `moa serve`: the port and concurrency are whole numbers, the key variable
 * is set, and a non-loopback `--host` has a key (else exit 2).
 */
export function checkServeFlags(
  flags: ServeFlags,
  env: ProviderEnvironment,
): { port: number; maxConcurrency: number; apiKey?: string } {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(
      `--port must be a whole number from 0 to 65535, got "${flags.port}".`,
      EXIT.usage,
      { flag: "--port" },
    );
  }
  const maxConcurrency = integerFlag(flags.maxConcurrency, "--max-concurrency", 1)!;
  let apiKey: string | undefined;
  if (flags.apiKeyEnv !== undefined) {
    apiKey = env[flags.apiKeyEnv];
    if (!apiKey) {
      throw new CliError(
        `--api-key-env ${flags.apiKeyEnv}: the environment variable ${flags.apiKeyEnv} is not set; set it to the key clients must send.`,
        EXIT.usage,
        { flag: "--api-key-env" },
      );
    }
  }
  if (apiKey === undefined && !isLoopback(flags.host)) {
    throw new CliError(
      `refusing to serve on ${flags.host} without a key: anyone who reaches it could spend your provider credits. ` +
        "Set --api-key-env NAME (clients send `Authorization: Bearer $NAME`), or bind 127.0.0.1.",
      EXIT.usage,
      { flag: "--host" },
    );
  }
  return { port, maxConcurrency, ...(apiKey !== undefined ? { apiKey } : {}) };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function readConfigFile(path: string | undefined): unknown {
  if (path === undefined) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CliError(
      `--config ${path}: cannot read it as JSON (${(error as Error).message}).`,
      EXIT.usage,
      { flag: "--config" },
    );
  }
}

/** Starts `fetch` on `host:port` with @hono/node-server; resolves once it listens. */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  host: string,
  port: number,
): Promise<ServerType & { address(): AddressInfo | string | null }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: host, port }, () => resolve(server as never));
    server.once("error", reject);
  });
}

/**
 * Stops accepting connections, lets in-flight runs finish for up to `graceMs`, then closes
 * what is left.
 */
export async function shutDown(server: ServerType, graceMs: number): Promise<void> {
  const http = server as import("node:http").Server;
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeIdleConnections();
  const timer = setTimeout(() => http.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
