import { appendJsonl, readJsonl } from "../io/jsonl-file.js";

interface CacheLine {
  key: string;
  value: unknown;
}

/**
 * Judge replies keyed by the content hash of the request (judge model + settings + messages).
 * A rerun, or another run judging the same answers with the same judge, reuses the stored reply
 * instead of paying for it again. Backed by an append-only JSON Lines file when `path` is given,
 * in memory otherwise.
 *
 * @example
 * ```ts
 * const cache = await JudgmentCache.open("runs/judge-cache.jsonl");
 * const hit = cache.get(key) ?? (await cache.set(key, await callJudge()));
 * ```
 */
export class JudgmentCache {
  private readonly entries = new Map<string, unknown>();
  private pending: Promise<void> = Promise.resolve();

  private constructor(readonly path: string | undefined) {}

  /** Opens (or starts) a cache file; a truncated last line from a crash is ignored. */
  static async open(path?: string): Promise<JudgmentCache> {
    const cache = new JudgmentCache(path);
    if (path) {
      for (const line of await readJsonl<CacheLine>(path, {
        allowMissing: true,
        tolerateTruncatedTail: true,
      })) {
        if (line && typeof line.key === "string") cache.entries.set(line.key, line.value);
      }
    }
    return cache;
  }

  /** Number of cached replies. */
  get size(): number {
    return this.entries.size;
  }

  /** The cached reply for `key`, if any. */
  get(key: string): unknown {
    return this.entries.get(key);
  }

  /** True when `key` is cached. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Stores a reply (and appends it to the file; appends are serialized). Returns `value`. */
  async set<T>(key: string, value: T): Promise<T> {
    this.entries.set(key, value);
    if (this.path) {
      const path = this.path;
      const write = this.pending.then(() =>
        appendJsonl(path, [{ key, value } satisfies CacheLine]),
      );
      // One failed append must not poison the queue for the next ones.
      this.pending = write.catch(() => undefined);
      await write;
    }
    return value;
  }
}
