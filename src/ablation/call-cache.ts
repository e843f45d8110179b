import { JudgmentCache } from "../eval/stages/judgment-cache.js";
import type { MoaRole } from "../graph/model-call-config.js";
import type { Usage } from "../state/proposal.js";

/**
 * Metadata key that ties model calls to one graph run: pass
 * `{ metadata: { [ABLATION_RUN_METADATA_KEY]: runId } }` to `graph.invoke` and every call the
 * run makes through a {@link CachingChatModel} is recorded under `runId` (see
 * {@link CallCache.takeRecords}).
 */
export const ABLATION_RUN_METADATA_KEY = "moa_ablation_run";

/** What the cache keeps of one model reply: enough to replay it and to account for it. */
export interface CachedReply {
  /** The reply text. */
  text: string;
  /** Tokens the original call was billed for. */
  usage?: Usage;
  /** Wall time of the original call, in milliseconds. */
  latencyMs: number;
  /** The model that answered (`provider:model`). */
  modelId: string;
}

/** One model call made (or replayed) during a graph run, for budget accounting. */
export interface CallRecord {
  /** `proposer`, `aggregator` or `ranker` (from the call's `moa_role` metadata). */
  role: MoaRole;
  /** 1-based layer; the final call reports the last layer (`layers`). */
  layer: number;
  proposerId: string;
  /** 0-based sample index (`moa_sample`). */
  sample: number;
  /** `provider:model` of the model called. */
  modelId: string;
  status: "ok" | "error";
  /** Tokens of the call (the original call's, when replayed from the cache). */
  usage?: Usage;
  /** Measured latency of the call (the original call's, when replayed from the cache). */
  latencyMs: number;
  /** True when the reply came from the cache (no request was made). */
  cached: boolean;
  /** The call's content hash (see `CachingChatModel`). */
  key: string;
}

/** Counters of a {@link CallCache}. */
export interface CallCacheStats {
  /** Calls served (hits + misses). */
  calls: number;
  /** Calls answered from the cache, or by joining an identical call already in flight. */
  hits: number;
  /** Calls that made a request (failed ones included). */
  misses: number;
  /** `hits / calls` (0 before any call). */
  hitRate: number;
  /** Replies stored (on disk when the cache has a file). */
  entries: number;
}

/**
 * A shared store of model replies keyed by a content hash of the request, with hit/miss
 * counters and a per-run log of calls. Wrap every model of every variant of a study with the
 * same cache (through `CachingChatModel`) so identical calls are made once: the layer-1
 * proposals of a study, for one, are shared by all its variants.
 *
 * Replies live in an append-only JSON Lines file when a path is given (a crash loses at most
 * the calls in flight; a truncated last line is ignored), in memory otherwise. Failed calls and
 * empty replies are never stored. Two identical calls in flight at once make one request.
 *
 * @example
 * ```ts
 * const cache = await CallCache.open("runs/study/call-cache.jsonl");
 * const model = new CachingChatModel({ model: loadChatModel("together:Qwen/Qwen1.5-72B-Chat"), callCache: cache });
 * // … run variants …
 * console.log(cache.stats.hitRate);
 * ```
 */
export class CallCache {
  private hitCount = 0;
  private missCount = 0;
  private readonly inFlight = new Map<string, Promise<CachedReply>>();
  private readonly runs = new Map<string, CallRecord[]>();

  private constructor(private readonly store: JudgmentCache) {}

  /** Opens (or starts) a cache file; without a path the cache lives in memory. */
  static async open(path?: string): Promise<CallCache> {
    return new CallCache(await JudgmentCache.open(path));
  }

  /** The cache file, when there is one. */
  get path(): string | undefined {
    return this.store.path;
  }

  /** Hit and miss counters since the cache was opened. */
  get stats(): CallCacheStats {
    const calls = this.hitCount + this.missCount;
    return {
      calls,
      hits: this.hitCount,
      misses: this.missCount,
      hitRate: calls === 0 ? 0 : this.hitCount / calls,
      entries: this.store.size,
    };
  }

  /** True when a reply for `key` is stored. */
  has(key: string): boolean {
    return this.store.has(key);
  }

  /**
   * Returns the stored reply for `key`, joins an identical call in flight, or runs `call` and
   * stores its reply. `cached` says whether this caller's request was saved.
   */
  async getOrCall(
    key: string,
    call: () => Promise<CachedReply>,
    signal?: AbortSignal,
  ): Promise<{ reply: CachedReply; cached: boolean }> {
    const stored = this.store.get(key) as CachedReply | undefined;
    if (stored !== undefined) {
      this.hitCount += 1;
      return { reply: stored, cached: true };
    }
    const pending = this.inFlight.get(key);
    if (pending !== undefined) {
      try {
        const reply = await untilAborted(pending, signal);
        this.hitCount += 1;
        return { reply, cached: true };
      } catch (error) {
        // The leader failed (its own abort, a timeout, an HTTP error): make our own call,
        // unless it is this caller that was cancelled.
        if (signal?.aborted) throw error;
      }
    }
    const request = (async () => {
      const reply = await call();
      if (reply.text.trim() !== "") await this.store.set(key, reply);
      return reply;
    })();
    this.inFlight.set(key, request);
    this.missCount += 1;
    try {
      return { reply: await request, cached: false };
    } finally {
      if (this.inFlight.get(key) === request) this.inFlight.delete(key);
    }
  }

  /** Adds a call to the log of run `runId`. */
  record(runId: string, record: CallRecord): void {
    let records = this.runs.get(runId);
    if (records === undefined) {
      records = [];
      this.runs.set(runId, records);
    }
    records.push(record);
  }

  /** Returns and forgets the calls logged for run `runId` (in the order they finished). */
  takeRecords(runId: string): CallRecord[] {
    const records = this.runs.get(runId) ?? [];
    this.runs.delete(runId);
    return records;
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
