import { appendFile, mkdir, open, readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
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
 *
 * Before appending, a torn tail left by an earlier crash is repaired ({@link repairJsonlTail}),
 * so the new record is never glued onto a cut line. Appends to one file from this process are
 * serialized, so the repair never mistakes a sibling's in-flight write for a torn line.
 */
export function appendJsonl(file: string, values: readonly unknown[]): Promise<void> {
  if (values.length === 0) return Promise.resolve();
  const key = resolve(file);
  const write = (appendQueues.get(key) ?? Promise.resolve()).then(async () => {
    await mkdir(dirname(file), { recursive: true });
    await repairJsonlTail(file);
    await appendFile(file, values.map((value) => JSON.stringify(value) + "\n").join(""), "utf8");
  });
  const settled = write.catch(() => undefined);
  appendQueues.set(key, settled);
  void settled.then(() => {
    if (appendQueues.get(key) === settled) appendQueues.delete(key);
  });
  return write;
}

/** The last pending append of each file (absolute path), while one is pending. */
const appendQueues = new Map<string, Promise<void>>();

/** What {@link repairJsonlTail} found at the end of a file. */
export type JsonlTailRepair =
  /** No file. */
  | "missing"
  /** Empty, or ends with a newline. */
  | "intact"
  /** The last line is complete JSON without its newline: the newline was added. */
  | "terminated"
  /** The last line had no newline and was not valid JSON (a cut write): it was removed. */
  | "truncated";

/**
 * Repairs the tail of a JSON Lines journal after a crash: a last line without a trailing newline
 * that does not parse is what a write cut by a crash leaves, and is truncated away (the record
 * it held was never finished); a last line that parses but lacks its newline gets one. Earlier
 * lines are left alone, so a bad line in the middle still fails {@link readJsonl} naming the
 * file and line. Every JSONL journal the project appends to is repaired through here.
 *
 * @example
 * ```ts
 * await repairJsonlTail("outputs.json.partial.jsonl"); // "truncated" after a torn write
 * ```
 */
export async function repairJsonlTail(file: string): Promise<JsonlTailRepair> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "r+");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw new EvalDataError({ file, message: "cannot be opened to append", cause: error });
  }
  try {
    const { size } = await handle.stat();
    const byte = Buffer.alloc(1);
    if (size === 0) return "intact";
    await handle.read(byte, 0, 1, size - 1);
    if (byte[0] === NEWLINE) return "intact";
    const start = await lastLineStart(handle, size);
    const tail = Buffer.alloc(size - start);
    await handle.read(tail, 0, tail.length, start);
    const text = tail.toString("utf8");
    if (!text.trim() || parses(text)) {
      await handle.write("\n", size);
      return "terminated";
    }
    await handle.truncate(start);
    return "truncated";
  } finally {
    await handle.close();
  }
}

const NEWLINE = 0x0a;

/** The byte offset just after the last newline before `size` (0 when there is none). */
async function lastLineStart(
  handle: Awaited<ReturnType<typeof open>>,
  size: number,
): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0;) {
    const from = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - from, from);
    const at = chunk.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (at >= 0) return from + at + 1;
    end = from;
  }
  return 0;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Replaces a JSON Lines file with `values` atomically (temporary file, then rename). */
export async function writeJsonl(file: string, values: readonly unknown[]): Promise<void> {
  await writeFileAtomic(file, values.map((value) => JSON.stringify(value) + "\n").join(""));
}
