// Runs the `moa` CLI in-process with a CliIo that records what it prints, for CLI tests.
import type { CliIo } from "../../src/cli/cli-io.js";
import { runCli } from "../../src/cli/main.js";
import type { ProviderEnvironment } from "../../src/models/load-provider-chat-model.js";

/** A {@link CliIo} that keeps what a command printed, and accessors for it. */
export interface CapturedCliIo {
  /** Pass to `runCli`: no colour, no TTY, the given environment. */
  io: CliIo;
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

/** What one in-process `moa` invocation returned and printed. */
export interface CliResult {
  /** The exit code `runCli` resolved with. */
  code: number;
  out: string;
  err: string;
}

/** A fresh {@link CapturedCliIo} whose commands see `env` as their environment. */
export function captureCliIo(env: ProviderEnvironment = {}): CapturedCliIo {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    env,
    color: false,
    exitCode: 0,
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

/** Runs `moa <argv>` in-process with a fresh {@link captureCliIo} on `env`. */
export async function runCapturedCli(
  argv: string[],
  env: ProviderEnvironment = {},
): Promise<CliResult> {
  const cli = captureCliIo(env);
  const code = await runCli(argv, cli.io);
  return { code, out: cli.out(), err: cli.err() };
}

/** The argv of `moa eval <stage> --benchmark <benchmark> ...rest`. */
export function evalArgv(stage: string, benchmark: string, ...rest: string[]): string[] {
  return ["eval", stage, "--benchmark", benchmark, ...rest];
}
