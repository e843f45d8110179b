import { readFile } from "node:fs/promises";
import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { CliError, EXIT } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { requireReadableFile } from "./eval-options.js";

/** The source of `moa run`'s prompt that means "read stdin". */
export const STDIN_SOURCE = "-";

/** Where `moa run` takes its prompt from. */
export interface PromptSources {
  /** The positional argument; `-` reads stdin. */
  argument?: string;
  /** `--prompt-file PATH`; `-` reads stdin. */
  promptFile?: string;
  /** `--system TEXT`. */
  system?: string;
}

/**
 * Reads `moa run`'s prompt from its argument, `--prompt-file` or stdin (`-`), so a prompt
 * larger than the OS argument limit works too, and builds the turn's messages (the `--system`
 * prompt first). An empty or whitespace-only prompt is a usage error: nothing is called for it.
 */
export async function readPromptMessages(
  sources: PromptSources,
  io: CliIo,
): Promise<BaseMessage[]> {
  if (sources.argument !== undefined && sources.promptFile !== undefined) {
    throw new CliError(
      "pass the prompt as an argument or with --prompt-file, not both.",
      EXIT.usage,
      {
        flag: "--prompt-file",
      },
    );
  }
  const flag = sources.promptFile !== undefined ? "--prompt-file" : undefined;
  const source = sources.promptFile ?? sources.argument;
  if (source === undefined) {
    throw new CliError(
      "missing prompt: pass it as an argument, with --prompt-file PATH, or `-` to read it from stdin.",
    );
  }
  const prompt = await readSource(source, flag, io);
  if (prompt.trim() === "") {
    throw new CliError(
      `the prompt${source === STDIN_SOURCE ? " read from stdin" : flag ? ` in ${source}` : ""} is empty; nothing was called.`,
      EXIT.usage,
      { flag },
    );
  }
  if (sources.system !== undefined && sources.system.trim() === "") {
    throw new CliError("--system is empty; leave it out for no system prompt.", EXIT.usage, {
      flag: "--system",
    });
  }
  return [
    ...(sources.system !== undefined ? [new SystemMessage(sources.system)] : []),
    new HumanMessage(prompt),
  ];
}

async function readSource(source: string, flag: string | undefined, io: CliIo): Promise<string> {
  if (source === STDIN_SOURCE) {
    if (io.readStdin === undefined) {
      throw new CliError("no stdin to read the prompt from.", EXIT.usage, { flag });
    }
    return io.readStdin();
  }
  if (flag === undefined) return source;
  return readFile(await requireReadableFile(source, flag), "utf8");
}
