import type { Command } from "commander";
import { startSimulator } from "../testing/simulator/index.js";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";

/** Registers `moa sim`: the loopback OpenAI-compatible simulator on its own. */
export function registerSimCommand(program: Command, io: CliIo): void {
  program
    .command("sim")
    .description("serve the loopback OpenAI-compatible simulator (127.0.0.1) until interrupted")
    .option("--port <port>", "port to listen on (0 = any free port)", "0")
    .option("--latency-ms <ms>", "fixed latency of every call", "0")
    .option("--tokens-per-second <n>", "streaming pace")
    .action(async (flags: { port: string; latencyMs: string; tokensPerSecond?: string }) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CliError(`--port must be a whole number from 0 to 65535, got "${flags.port}".`);
      }
      const latencyMs = Number(flags.latencyMs);
      if (!Number.isFinite(latencyMs) || latencyMs < 0) {
        throw new CliError(`--latency-ms must be a number ≥ 0, got "${flags.latencyMs}".`);
      }
      const tokensPerSecond =
        flags.tokensPerSecond === undefined ? undefined : Number(flags.tokensPerSecond);
      if (tokensPerSecond !== undefined && !(tokensPerSecond > 0)) {
        throw new CliError(
          `--tokens-per-second must be a number > 0, got "${flags.tokensPerSecond}".`,
        );
      }
      const simulator = await startSimulator({
        port,
        defaultModel: { latencyMs, tokensPerSecond },
      });
      io.stdout(
        `OpenAI-compatible simulator listening on ${simulator.url}\n` +
          `Point clients at it: OPENAI_BASE_URL=${simulator.url}/v1 OPENAI_API_KEY=anything\n` +
          "Press Ctrl+C to stop.\n",
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await simulator.close();
    });
}
