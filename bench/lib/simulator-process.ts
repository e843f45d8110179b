import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "./paths.js";

/** One simulated model (a serializable subset of the simulator's `ModelBehaviour`). */
export interface SimulatedModel {
  /** Time to first byte, ms. */
  latencyMs?: number;
  /** Streaming pace (whitespace tokens per second); also delays non-streamed answers. */
  tokensPerSecond?: number;
  /** Length of the synthetic reply in words. */
  outputTokens?: number;
  /**
   * An AlpacaEval `model_outputs` JSON file: the model answers each instruction with its
   * recorded output (looked up by the request's last user message).
   */
  recordedOutputs?: string;
}

/** Configuration of {@link startSimulatorProcess}. */
export interface SimulatorProcessConfig {
  models: Record<string, SimulatedModel>;
  /** Clears the simulator's request log this often (long batches). */
  clearLogEveryMs?: number;
}

/** Requests the parent sends to the simulator process. */
export type SimulatorProcessRequest =
  { type: "close" } | { type: "reply-words"; instructions: string[] };

/** A simulator running in a child process. */
export interface SimulatorProcess {
  url: string;
  /**
   * Words (the simulator's tokens) of each recorded-output model's reply to each instruction,
   * counted where the outputs live, so the measured process never loads them.
   */
  replyWords(instructions: string[]): Promise<Record<string, number[]>>;
  close(): Promise<void>;
}

/** `--import <tsx>` resolved from this file, so children start from any working directory. */
export function tsxImportArgs(): string[] {
  const tsx = createRequire(join(REPO_ROOT, "package.json")).resolve("tsx");
  return ["--import", pathToFileURL(tsx).href];
}

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`simulator process exited with ${code}`));
    const onMessage = (message: unknown) => {
      if ((message as { type?: string }).type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as T);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/**
 * Starts the loopback simulator (`startSimulator`) in a child Node process running through tsx,
 * and resolves once it listens.
 */
export async function startSimulatorProcess(
  config: SimulatorProcessConfig,
): Promise<SimulatorProcess> {
  // Resolved from the repository root: this module may run from a bundle elsewhere.
  const child = fork(join(REPO_ROOT, "bench", "lib", "simulator-child.ts"), [], {
    execArgv: tsxImportArgs(),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = nextMessage<{ url: string }>(child, "ready");
  child.send(config);
  const { url } = await ready;
  return {
    url,
    async replyWords(instructions) {
      const reply = nextMessage<{ words: Record<string, number[]> }>(child, "reply-words");
      child.send({ type: "reply-words", instructions } satisfies SimulatorProcessRequest);
      return (await reply).words;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.send({ type: "close" } satisfies SimulatorProcessRequest);
        setTimeout(() => child.kill(), 5_000).unref();
      }),
  };
}
