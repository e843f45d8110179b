/**
 * The `moa` command: run Mixture-of-Agents from the terminal, offline with `--simulate`.
 *
 * @module
 */
import { Command, CommanderError } from "commander";
import { redactSecrets, registerSecret } from "../errors/index.js";
import { EXIT } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { registerAblateCommand } from "./ablate-command.js";
import { registerColmCommand } from "./colm-command.js";
import { describeCliFailure } from "./flag-errors.js";
import { registerPlanCommand } from "./plan-command.js";
import { registerDemoCommand } from "./demo-command.js";
import { registerEvalCommand } from "./eval-command.js";
import { registerModelsCommand } from "./models-command.js";
import { registerRunCommand } from "./run-command.js";
import { registerServeCommand } from "./serve-command.js";
import { registerSimCommand } from "./sim-command.js";
import { registerThreadsCommand } from "./threads-command.js";

/** Builds the `moa` program around an I/O object (tests pass their own). */
export function createProgram(io: CliIo): Command {
  const program = new Command("moa")
    .description("Mixture-of-Agents for LangGraph.js")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerRunCommand(program, io);
  registerSimCommand(program, io);
  registerThreadsCommand(program, io);
  registerEvalCommand(program, io);
  registerAblateCommand(program, io);
  registerPlanCommand(program, io);
  registerModelsCommand(program, io);
  registerDemoCommand(program, io);
  registerServeCommand(program, io);
  registerColmCommand(program, io);
  // A usage error prints its one-line message and where the usage is, not the whole help.
  for (const command of allCommands(program)) {
    command.showHelpAfterError(helpHint(command));
  }
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
  let active: Command = program;
  program.hook("preAction", (_program, action) => {
    active = action;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return redacting.exitCode;
  } catch (error) {
    return reportError(error, redacting, active);
  }
}

/** Environment variables whose values are credentials (`OPENAI_API_KEY`, `HF_TOKEN`, …). */
const SECRET_VARIABLE = /(?:API_KEY|_TOKEN|_SECRET|PASSWORD)$/i;

function reportError(error: unknown, io: CliIo, command: Command): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every other commander error is a usage error already printed.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const failure = describeCliFailure(error);
  const hint = failure.exitCode === EXIT.usage ? `\n${helpHint(command)}` : "";
  io.stderr(`moa: ${failure.message}${hint}\n`);
  return failure.exitCode;
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

/** `See \`moa eval judge --help\`.` for a command. */
function helpHint(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) {
    names.unshift(current.name());
  }
  return `See \`${names.join(" ")} --help\`.`;
}

/**
 * Exits quietly when the reader of stdout or stderr goes away (`moa run … | head -c 10`):
 * nothing is left to write to, so a write error is no failure worth a stack trace.
 */
function exitOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE")
      process.exit(typeof process.exitCode === "number" ? process.exitCode : EXIT.ok);
    throw error;
  });
}

/** Entry point of the `moa` binary: real process I/O, exit code on the process. */
export async function main(): Promise<void> {
  exitOnClosedPipe(process.stdout);
  exitOnClosedPipe(process.stderr);
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readStream(process.stdin),
    env: process.env,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    stderrIsTTY: process.stderr.isTTY === true,
    exitCode: 0,
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
