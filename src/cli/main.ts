/**
 * The `moa` command: run Mixture-of-Agents from the terminal, offline with `--simulate`.
 *
 * @module
 */
import { Command, CommanderError } from "commander";
import {
  InvalidConfigError,
  MoaError,
  ModelSpecError,
  redactSecrets,
  registerSecret,
} from "../errors/index.js";
import { CliError, EXIT } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { registerAblateCommand } from "./ablate-command.js";
import { registerPlanCommand } from "./plan-command.js";
import { registerDemoCommand } from "./demo-command.js";
import { registerEvalCommand } from "./eval-command.js";
import { registerModelsCommand } from "./models-command.js";
import { registerRunCommand } from "./run-command.js";
import { registerSimCommand } from "./sim-command.js";

const FLAG_NAMES: Record<string, string> = {
  maxTokens: "--max-tokens",
  minProposals: "--min-proposals",
  callTimeoutMs: "--timeout-ms",
  stragglerGraceMs: "--straggler-grace-ms",
  maxCostUsd: "--budget-usd",
  maxRunTokens: "--budget-tokens",
};

/** Builds the `moa` program around an I/O object (tests pass their own). */
export function createProgram(io: CliIo): Command {
  const program = new Command("moa")
    .description("Mixture-of-Agents for LangGraph.js")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerRunCommand(program, io);
  registerSimCommand(program, io);
  registerEvalCommand(program, io);
  registerAblateCommand(program, io);
  registerPlanCommand(program, io);
  registerModelsCommand(program, io);
  registerDemoCommand(program, io);
  return program;
}

/**
 * Runs the CLI with `argv` (user arguments only) and returns the exit code: 0 success,
 * 1 a run that failed, 2 a usage or configuration error. Prints no stack traces.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Every credential in the environment is masked in whatever the command prints (answers,
  // summaries, progress, errors), whichever path the text took to get there.
  for (const [name, value] of Object.entries(io.env)) {
    if (SECRET_VARIABLE.test(name)) registerSecret(value);
  }
  const redacting: CliIo = {
    ...io,
    stdout: (text) => io.stdout(redactSecrets(text)),
    stderr: (text) => io.stderr(redactSecrets(text)),
  };
  const program = createProgram(redacting);
  try {
    await program.parseAsync(argv, { from: "user" });
    return redacting.exitCode;
  } catch (error) {
    return reportError(error, redacting);
  }
}

/** Environment variables whose values are credentials (`OPENAI_API_KEY`, `HF_TOKEN`, …). */
const SECRET_VARIABLE = /(?:API_KEY|_TOKEN|_SECRET|PASSWORD)$/i;

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every other commander error is a usage error already printed.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof CliError) {
    io.stderr(`moa: ${error.message}\n`);
    return error.exitCode;
  }
  if (InvalidConfigError.isInstance(error)) {
    const lines = error.issues.map((issue) => `  - ${flagName(issue.path)}: ${issue.message}`);
    io.stderr(`moa: invalid options:\n${lines.join("\n")}\nSee \`moa run --help\`.\n`);
    return EXIT.usage;
  }
  if (ModelSpecError.isInstance(error)) {
    io.stderr(`moa: ${error.message}\n`);
    return EXIT.usage;
  }
  if (MoaError.isInstance(error)) {
    io.stderr(`moa: ${error.message}\n`);
    return EXIT.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`moa: ${message}\n`);
  return EXIT.failure;
}

function flagName(path: string): string {
  const [head, ...rest] = path.split(".");
  const name = FLAG_NAMES[head!] ?? `--${head}`;
  return rest.length ? `${name} (item ${rest.join(".")})` : name;
}

/** Entry point of the `moa` binary: real process I/O, exit code on the process. */
export async function main(): Promise<void> {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    stderrIsTTY: process.stderr.isTTY === true,
    exitCode: 0,
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
