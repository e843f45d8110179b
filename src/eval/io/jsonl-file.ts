import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { EvalDataError } from "../eval-data-error.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/** Options of {@link readJsonl}. */
export interface ReadJsonlOptions {
  /**
   * Skip a malformed **last** line instead of throwing: that is what a crash in the middle of
   * an append leaves behind, and resumable stages must survive it. @default false
   */
  tolerateTruncatedTail?: boolean;
  /** Return `[]` when the file does not exist. @default false */
  allowMissing?: boolean;
}

/**
 * Reads a JSON Lines file (one JSON value per line; blank lines ignored).
 *
 * @example
 * ```ts
 * const questions = await readJsonl<{ question_id: number }>("data/mt_bench/question.jsonl");
 * ```
 */
export async function readJsonl<T = unknown>(
  file: string,
  options: ReadJsonlOptions = {},
): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (options.allowMissing && (error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new EvalDataError({ file, message: "cannot be read", cause: error });
  }
  return parseJsonl<T>(text, file, options);
}

/** Parses JSON Lines text; `file` only labels errors. See {@link readJsonl}. */
export function parseJsonl<T = unknown>(
  text: string,
  file = "<jsonl>",
  options: Pick<ReadJsonlOptions, "tolerateTruncatedTail"> = {},
): T[] {
  const lines = text.split("\n");
  const lastContentLine = lines.reduce((last, line, index) => (line.trim() ? index : last), -1);
  const values: T[] = [];
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    try {
      values.push(JSON.parse(line) as T);
    } catch (error) {
      if (options.tolerateTruncatedTail && index === lastContentLine && !text.endsWith("\n")) break;
      throw new EvalDataError({
        file,
        location: `line ${index + 1}`,
        message: "is not valid JSON",
        cause: error,
      });
    }
  }
  return values;
}

/**
 * Appends values to a JSON Lines file (creating it and its directory), one line each. A single
 * `appendFile` call per batch keeps each line whole even when a run is killed afterwards.
 */
export async function appendJsonl(file: string, values: readonly unknown[]): Promise<void> {
  if (values.length === 0) return;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, values.map((value) => JSON.stringify(value) + "\n").join(""), "utf8");
}

/** Replaces a JSON Lines file with `values` atomically (temporary file, then rename). */
export async function writeJsonl(file: string, values: readonly unknown[]): Promise<void> {
  await writeFileAtomic(file, values.map((value) => JSON.stringify(value) + "\n").join(""));
}
