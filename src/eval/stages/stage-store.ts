import { rm } from "node:fs/promises";
import { readJson, writeJson } from "../io/json-file.js";
import { appendJsonl, readJsonl, writeJsonl } from "../io/jsonl-file.js";
import { EvalDataError } from "../eval-data-error.js";

/** An instance that failed in a stage, as recorded in `<file>.errors.jsonl`. */
export interface StageFailure {
  /** The instance id (question id, instruction, …). */
  id: string;
  /** The last error message. */
  error: string;
  /** The error's name (`RateLimitError`, `JudgeReplyError`, …) when it had one. */
  errorName?: string;
  /** Attempts made in the run that recorded the failure. */
  attempts: number;
  /** ISO time of the failure. */
  time: string;
}

/**
 * Where a stage keeps its finished records. Records are persisted one by one as they finish
 * (so a crash or Ctrl-C loses nothing), and written in their final, upstream-compatible layout
 * at the end of the run.
 */
export interface StageStore<R> {
  /** The stage's output file. */
  readonly path: string;
  /** The failures file (`<path>.errors.jsonl`). */
  readonly failuresPath: string;
  /** Records finished by earlier runs (finished or partial). */
  load(): Promise<R[]>;
  /** Persists one finished record immediately. */
  append(record: R): Promise<void>;
  /** Writes the final file with `records` in order. */
  finalize(records: readonly R[]): Promise<void>;
  /** Failures recorded by the previous run. */
  loadFailures(): Promise<StageFailure[]>;
  /** Replaces the failures file (removes it when there are none). */
  writeFailures(failures: readonly StageFailure[]): Promise<void>;
}

abstract class BaseStore<R> implements StageStore<R> {
  readonly failuresPath: string;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {
    this.failuresPath = `${path}.errors.jsonl`;
  }

  abstract load(): Promise<R[]>;
  abstract finalize(records: readonly R[]): Promise<void>;
  protected abstract journalPath(): string;

  append(record: R): Promise<void> {
    // Appends are serialized: concurrent workers must never interleave partial lines.
    const write = this.queue.then(() => appendJsonl(this.journalPath(), [record]));
    this.queue = write.catch(() => undefined);
    return write;
  }

  async loadFailures(): Promise<StageFailure[]> {
    return readJsonl<StageFailure>(this.failuresPath, {
      allowMissing: true,
      tolerateTruncatedTail: true,
    });
  }

  async writeFailures(failures: readonly StageFailure[]): Promise<void> {
    if (failures.length === 0) await rm(this.failuresPath, { force: true });
    else await writeJsonl(this.failuresPath, failures);
  }

  protected async drain(): Promise<void> {
    await this.queue;
  }
}

class JsonlStore<R> extends BaseStore<R> {
  protected journalPath(): string {
    return this.path;
  }

  async load(): Promise<R[]> {
    return readJsonl<R>(this.path, { allowMissing: true, tolerateTruncatedTail: true });
  }

  async finalize(records: readonly R[]): Promise<void> {
    await this.drain();
    await writeJsonl(this.path, records);
  }
}

class JsonListStore<R> extends BaseStore<R> {
  protected journalPath(): string {
    return `${this.path}.partial.jsonl`;
  }

  async load(): Promise<R[]> {
    const finished: R[] = [];
    const existing = await readJson<unknown>(this.path).catch((error: unknown) => {
      if (
        EvalDataError.isInstance(error) &&
        (error.cause as NodeJS.ErrnoException)?.code === "ENOENT"
      )
        return [];
      throw error;
    });
    if (!Array.isArray(existing)) {
      throw new EvalDataError({ file: this.path, message: "must contain a JSON list" });
    }
    finished.push(...(existing as R[]));
    finished.push(
      ...(await readJsonl<R>(this.journalPath(), {
        allowMissing: true,
        tolerateTruncatedTail: true,
      })),
    );
    return finished;
  }

  async finalize(records: readonly R[]): Promise<void> {
    await this.drain();
    await writeJson(this.path, records);
    await rm(this.journalPath(), { force: true });
  }
}

/**
 * A store whose output is a JSON Lines file that doubles as the journal (FastChat answers and
 * judgments, FLASK answers and reviews). The final write rewrites it in input order, one record
 * per id, like FastChat's `reorg_answer_file`.
 *
 * @example
 * ```ts
 * const store = createJsonlStore<MtBenchAnswer>("runs/mt-bench/answers.jsonl");
 * ```
 */
export function createJsonlStore<R>(path: string): StageStore<R> {
  return new JsonlStore<R>(path);
}

/**
 * A store whose output is one JSON list (AlpacaEval `model_outputs.json`, `annotations.json`).
 * While running, finished records go to `<path>.partial.jsonl`; the list is written at the end.
 */
export function createJsonListStore<R>(path: string): StageStore<R> {
  return new JsonListStore<R>(path);
}
