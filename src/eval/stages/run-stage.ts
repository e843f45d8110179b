import { InvalidArgumentError, redactSecrets } from "../../errors/index.js";
import type { Usage } from "../../state/index.js";
import { sleep } from "../../utils/abortable-sleep.js";
import {
  backoffDelayMs,
  isRateLimitError,
  isTransientError,
  resolveRetryOptions,
  type ResolvedRetryOptions,
  type RetryOptions,
} from "./retry-policy.js";
import type { ProgressCallback, StageProgress } from "./stage-progress.js";
import type { StageFailure, StageStore } from "./stage-store.js";

/** What one instance's work produced. */
export interface StageOutcome<R> {
  /** The record to persist (in the output file's native format). */
  record: R;
  /** Tokens spent (omit for cached replies). */
  usage?: Usage;
  /** Cost in US dollars, when the executor knows it (else `costOf(usage)` is used). */
  costUsd?: number;
  /** True when the judge reply came from the cache. */
  cached?: boolean;
}

/** What an executor receives besides its instance. */
export interface StageExecutionContext {
  /** Aborted when the run is aborted or the instance's timeout expires. */
  signal: AbortSignal;
  /** 1-based attempt number within this run. */
  attempt: number;
}

/** Parameters of {@link runStage}. */
export interface RunStageParams<I, R> {
  /** Label used in progress events and errors, e.g. `mt-bench judge`. */
  stage: string;
  /** Every instance of the benchmark, in output order. */
  items: readonly I[];
  /** Stable id of an instance (question id, instruction, …); must be unique. */
  idOf: (item: I) => string;
  /** The id a persisted record belongs to (the inverse of `idOf`). */
  recordId: (record: R) => string;
  /** Where records are kept (see `createJsonlStore`, `createJsonListStore`). */
  store: StageStore<R>;
  /** Does the work for one instance. Throwing records a failure; it never stops the others. */
  execute: (item: I, context: StageExecutionContext) => Promise<StageOutcome<R>>;
  /**
   * Whether a finished record still answers its instance (e.g. the judged answer has not
   * changed). Stale records are redone. @default () => true
   */
  isCurrent?: (record: R, item: I) => boolean;
  /** Instances worked on at once. @default 4 */
  concurrency?: number;
  /** Only the first N instances (smoke runs). @default all */
  maxInstances?: number;
  /** Retries of transient failures (rate limits, 5xx, timeouts). */
  retry?: RetryOptions;
  /** Per-attempt timeout in milliseconds. @default none */
  timeoutMs?: number;
  /** Aborts the run: in-flight calls are cancelled and finished records are kept. */
  signal?: AbortSignal;
  /** Progress callback (ETA, running cost); errors it throws are ignored. */
  onProgress?: ProgressCallback;
  /** Prices usage in US dollars for the running cost. @default () => 0 */
  costOf?: (usage: Usage) => number;
}

/** The result of {@link runStage}. */
export interface StageSummary<R> extends StageProgress {
  /** Every record of the output file, in output order (earlier runs included). */
  records: R[];
  /** Failures still outstanding (this run's, plus earlier ones not attempted this time). */
  failures: StageFailure[];
  /** The output file. */
  path: string;
  /** The failures file (absent on disk when `failures` is empty). */
  failuresPath: string;
}

/**
 * Runs one resumable stage (generate or judge) over a benchmark's instances:
 * - instances already finished in the output file are skipped (unless `isCurrent` says the
 *   record is stale), so a rerun continues where the last one stopped;
 * - each finished record is appended at once, so a crash loses at most the calls in flight;
 * - a failing instance is retried on transient errors with exponential backoff (a rate limit
 *   pauses every worker until its `retry-after`), then recorded in `<out>.errors.jsonl` and
 *   retried on the next run — it never aborts its siblings;
 * - at most `concurrency` instances run at once; `onProgress` reports counts, ETA and cost.
 *
 * @example
 * ```ts
 * const summary = await runStage({
 *   stage: "flask generate",
 *   items: instances,
 *   idOf: (instance) => String(instance.idx),
 *   recordId: (answer) => String(answer.question_id),
 *   store: createJsonlStore("runs/flask/answers.jsonl"),
 *   execute: async (instance) => ({ record: { question_id: instance.idx, text: await answer(instance) } }),
 *   concurrency: 8,
 * });
 * ```
 */
export async function runStage<I, R>(params: RunStageParams<I, R>): Promise<StageSummary<R>> {
  const { concurrency, retry, items, ids } = checkStageParams(params);
  const records = new Map<string, R>();
  for (const record of await params.store.load()) records.set(params.recordId(record), record);
  const earlierFailures = await params.store.loadFailures();
  const pending = items.filter((item, index) => {
    const record = records.get(ids[index] as string);
    return record === undefined || !(params.isCurrent?.(record, item) ?? true);
  });

  const run = new StageRun(params, retry, records, items.length, items.length - pending.length);
  const aborted = await run.runAll(pending, concurrency);

  const ordered = orderRecords(ids, records);
  const attempted = new Set(pending.map((item) => params.idOf(item)));
  const outstanding = [
    ...earlierFailures.filter((failure) => !attempted.has(failure.id) && !records.has(failure.id)),
    ...run.failures,
  ];
  await params.store.finalize(ordered);
  await params.store.writeFailures(outstanding);
  if (aborted !== undefined) throw aborted;
  return {
    ...run.snapshot(),
    records: ordered,
    failures: outstanding,
    path: params.store.path,
    failuresPath: params.store.failuresPath,
  };
}

/** Checks the run controls and the instance ids; returns this run's instances and their ids. */
function checkStageParams<I, R>(
  params: RunStageParams<I, R>,
): { concurrency: number; retry: ResolvedRetryOptions; items: readonly I[]; ids: string[] } {
  const concurrency = params.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidArgumentError({
      parameter: "concurrency",
      value: concurrency,
      message: "must be an integer ≥ 1.",
    });
  }
  if (
    params.maxInstances !== undefined &&
    (!Number.isInteger(params.maxInstances) || params.maxInstances < 0)
  ) {
    throw new InvalidArgumentError({
      parameter: "maxInstances",
      value: params.maxInstances,
      message: "must be an integer ≥ 0 (omit it to run every instance).",
    });
  }
  const retry = resolveRetryOptions(params.retry);
  const items =
    params.maxInstances === undefined ? params.items : params.items.slice(0, params.maxInstances);
  const ids = items.map((item) => params.idOf(item));
  const seen = new Set<string>();
  const duplicate = ids.find((id) => (seen.has(id) ? true : (seen.add(id), false)));
  if (duplicate !== undefined) {
    throw new InvalidArgumentError({
      parameter: "items",
      value: duplicate,
      message: `two instances share the id \`${duplicate}\`; ids must be unique for a stage to resume.`,
    });
  }
  return { concurrency, retry, items, ids };
}

/**
 * The final layout: this run's items in order, then records of instances outside this run
 * (e.g. a larger earlier run than this `maxInstances`), which are never dropped.
 */
function orderRecords<R>(ids: readonly string[], records: ReadonlyMap<string, R>): R[] {
  const inRun = new Set(ids);
  const ordered: R[] = [];
  for (const id of ids) {
    const record = records.get(id);
    if (record !== undefined) ordered.push(record);
  }
  for (const [id, record] of records) if (!inRun.has(id)) ordered.push(record);
  return ordered;
}

/** One run of a stage: its counters, its failures, the rate-limit pause, and its workers. */
class StageRun<I, R> {
  readonly failures: StageFailure[] = [];
  private readonly started = Date.now();
  private succeeded = 0;
  private failed = 0;
  private running = 0;
  private cached = 0;
  private readonly usage = { inputTokens: 0, outputTokens: 0 };
  private costUsd = 0;
  private lastError: StageProgress["lastError"];
  /** Every worker waits until then after a rate limit. */
  private coolDownUntil = 0;

  constructor(
    private readonly params: RunStageParams<I, R>,
    private readonly retry: ResolvedRetryOptions,
    private readonly records: Map<string, R>,
    private readonly total: number,
    private readonly skipped: number,
  ) {}

  /** The progress so far. */
  snapshot(): StageProgress {
    const finishedThisRun = this.succeeded + this.failed;
    const remaining = this.total - this.skipped - finishedThisRun;
    const elapsedMs = Date.now() - this.started;
    return {
      stage: this.params.stage,
      total: this.total,
      skipped: this.skipped,
      succeeded: this.succeeded,
      failed: this.failed,
      running: this.running,
      remaining,
      cached: this.cached,
      elapsedMs,
      etaMs:
        finishedThisRun > 0
          ? (elapsedMs / finishedThisRun) * remaining
          : remaining === 0
            ? 0
            : undefined,
      usage: { ...this.usage },
      costUsd: this.costUsd,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /**
   * Works through `pending` with at most `concurrency` instances at once; returns the abort
   * reason when the run was aborted (the workers stop taking instances then).
   */
  async runAll(pending: readonly I[], concurrency: number): Promise<unknown> {
    let next = 0;
    let aborted: unknown;
    const worker = async (): Promise<void> => {
      while (next < pending.length && aborted === undefined) {
        const item = pending[next++] as I;
        this.running += 1;
        this.report();
        try {
          await this.runOne(item);
        } catch (error) {
          aborted ??= error;
        } finally {
          this.running -= 1;
          this.report();
        }
      }
    };
    this.report();
    await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
    return aborted;
  }

  private report(): void {
    if (!this.params.onProgress) return;
    try {
      this.params.onProgress(this.snapshot());
    } catch {
      // A failing progress display must never stop the evaluation or lose its results.
    }
  }

  /** One instance, retried on transient errors; a final failure is recorded, never thrown. */
  private async runOne(item: I): Promise<void> {
    const { params, retry } = this;
    const id = params.idOf(item);
    let attempt = 0;
    for (;;) {
      attempt += 1;
      const wait = this.coolDownUntil - Date.now();
      if (wait > 0) await sleep(wait, params.signal);
      params.signal?.throwIfAborted();
      const signals = [
        params.signal,
        params.timeoutMs ? AbortSignal.timeout(params.timeoutMs) : undefined,
      ];
      const signal = AbortSignal.any(
        signals.filter((value): value is AbortSignal => value !== undefined),
      );
      try {
        const outcome = await params.execute(item, { signal, attempt });
        // Persist before counting: a finished instance must be on disk when we report it.
        await params.store.append(outcome.record);
        this.recordSuccess(id, outcome);
        return;
      } catch (error) {
        if (params.signal?.aborted) throw params.signal.reason;
        const retryable = isTransientError(error) || signal.aborted;
        if (retryable && attempt < retry.maxAttempts) {
          const delay = backoffDelayMs(attempt, retry, error);
          if (isRateLimitError(error)) {
            this.coolDownUntil = Math.max(this.coolDownUntil, Date.now() + delay);
          }
          await sleep(delay, params.signal);
          continue;
        }
        this.recordFailure(id, error, attempt);
        return;
      }
    }
  }

  private recordSuccess(id: string, outcome: StageOutcome<R>): void {
    this.records.set(id, outcome.record);
    this.succeeded += 1;
    if (outcome.cached) this.cached += 1;
    if (outcome.usage) {
      this.usage.inputTokens += outcome.usage.inputTokens;
      this.usage.outputTokens += outcome.usage.outputTokens;
    }
    this.costUsd +=
      outcome.costUsd ??
      (outcome.usage && this.params.costOf ? this.params.costOf(outcome.usage) : 0);
  }

  private recordFailure(id: string, error: unknown, attempts: number): void {
    // The record and the progress line may be printed or shared: no key a provider echoed.
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    this.failures.push({
      id,
      error: message,
      ...(error instanceof Error && error.name !== "Error" ? { errorName: error.name } : {}),
      attempts,
      time: new Date().toISOString(),
    });
    this.failed += 1;
    this.lastError = { id, message };
  }
}

/** The run controls every benchmark stage accepts (see {@link RunStageParams}). */
export type StageOptions = Pick<
  RunStageParams<unknown, unknown>,
  "concurrency" | "maxInstances" | "retry" | "timeoutMs" | "signal" | "onProgress" | "costOf"
>;

/** Copies the {@link StageOptions} fields that are set (keeps `exactOptionalPropertyTypes` happy). */
export function pickStageOptions(options: StageOptions): StageOptions {
  const picked: StageOptions = {};
  for (const key of [
    "concurrency",
    "maxInstances",
    "retry",
    "timeoutMs",
    "signal",
    "onProgress",
    "costOf",
  ] as const) {
    if (options[key] !== undefined) (picked as Record<string, unknown>)[key] = options[key];
  }
  return picked;
}
