/**
 * Internal: loaded local models, shared process-wide: a GGUF file is loaded once per set of load
 * options, however many chat model instances (proposers, samples, per-proposer sampling
 * copies) point at it. Each loaded model has one llama.cpp context with several sequences;
 * every call leases a sequence of its own, so concurrent proposers on one model are evaluated
 * in the same batches instead of queueing behind each other.
 *
 * @module
 */
import type {
  ChatWrapper,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
  Token,
} from "node-llama-cpp";
import {
  disposeLocalLlamas,
  getLocalLlama,
  importLocalEngine,
  loadGgufModel,
} from "./local-engine.js";
import {
  DEFAULT_MAX_CONTEXT_SIZE,
  DEFAULT_SEQUENCES,
  type LocalCallTimings,
  type LocalModelLoadOptions,
  type LocalModelStats,
} from "./local-model-types.js";

/** A leased sequence; give it back with `release()`. */
export interface SequenceLease {
  sequence: LlamaContextSequence;
  release(): void;
}

/** One model file in memory, with its context and sequence pool. */
export class LoadedLocalModel {
  readonly stats: LocalModelStats;
  private readonly free: LlamaContextSequence[] = [];
  private readonly waiting: Array<(sequence: LlamaContextSequence) => void> = [];

  constructor(
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    readonly chatWrapper: ChatWrapper,
    modelPath: string,
    timings: { loadMs: number; templateMs: number },
  ) {
    this.stats = {
      modelPath,
      sequences: context.totalSequences,
      contextSize: context.contextSize,
      chatWrapper: chatWrapper.wrapperName,
      ...timings,
      calls: 0,
      activeLeases: 0,
      peakLeases: 0,
      promptTokens: 0,
      promptMs: 0,
      outputTokens: 0,
      generationMs: 0,
    };
  }

  /** Adds a finished call's token counts and timings to the stats. */
  record(timings: LocalCallTimings): void {
    this.stats.promptTokens += timings.promptTokens;
    this.stats.promptMs += timings.promptMs;
    this.stats.outputTokens += timings.outputTokens;
    this.stats.generationMs += timings.generationMs;
  }

  /**
   * Leases a sequence: a free one (preferring the one whose cached tokens share the longest
   * prefix with `promptTokens`, so a continued conversation reuses its cache), a new one while
   * the context has some left, else the next one released. Rejects if `signal` aborts first.
   */
  async acquire(promptTokens: readonly Token[], signal?: AbortSignal): Promise<SequenceLease> {
    signal?.throwIfAborted();
    const sequence =
      this.takeFree(promptTokens) ??
      (this.context.sequencesLeft > 0
        ? this.context.getSequence()
        : await this.waitForRelease(signal));
    this.stats.calls += 1;
    this.stats.activeLeases += 1;
    this.stats.peakLeases = Math.max(this.stats.peakLeases, this.stats.activeLeases);
    let released = false;
    return {
      sequence,
      release: () => {
        if (released) return;
        released = true;
        this.stats.activeLeases -= 1;
        const next = this.waiting.shift();
        if (next) next(sequence);
        else this.free.push(sequence);
      },
    };
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }

  private takeFree(promptTokens: readonly Token[]): LlamaContextSequence | undefined {
    if (this.free.length === 0) return undefined;
    let best = 0;
    let bestShared = -1;
    this.free.forEach((sequence, index) => {
      const shared = sequence.compareContextTokens([...promptTokens]).firstDifferentIndex;
      if (shared > bestShared) {
        best = index;
        bestShared = shared;
      }
    });
    return this.free.splice(best, 1)[0];
  }

  private waitForRelease(signal?: AbortSignal): Promise<LlamaContextSequence> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(take);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      const take = (sequence: LlamaContextSequence) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(sequence);
      };
      this.waiting.push(take);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

const loaded = new Map<string, Promise<LoadedLocalModel>>();

/** The registry key: models with equal load options are one model. */
export function localModelKey(options: LocalModelLoadOptions): string {
  return JSON.stringify([
    options.modelPath,
    options.threads ?? null,
    options.contextSize ?? null,
    options.sequences ?? DEFAULT_SEQUENCES,
    options.batchSize ?? null,
    options.gpu === true,
  ]);
}

/**
 * The loaded model for `options`, loading it on first use. Concurrent first calls share one
 * load; a failed load is forgotten so the next call retries.
 */
export function getLocalModel(options: LocalModelLoadOptions): Promise<LoadedLocalModel> {
  const key = localModelKey(options);
  let model = loaded.get(key);
  if (model === undefined) {
    model = loadLocalModel(options);
    loaded.set(key, model);
    model.catch(() => {
      if (loaded.get(key) === model) loaded.delete(key);
    });
  }
  return model;
}

/** Counters of every model loaded in this process (public as `localModelStats`). */
export async function loadedModelStats(): Promise<LocalModelStats[]> {
  const settled = await Promise.allSettled(loaded.values());
  return settled.flatMap((result) =>
    result.status === "fulfilled" ? [{ ...result.value.stats }] : [],
  );
}

/** Frees every loaded model and the engine (public as `disposeLocalModels`). */
export async function disposeLoadedModels(): Promise<void> {
  const pending = [...loaded.values()];
  loaded.clear();
  for (const result of await Promise.allSettled(pending)) {
    if (result.status === "fulfilled") await result.value.dispose();
  }
  await disposeLocalLlamas();
}

async function loadLocalModel(options: LocalModelLoadOptions): Promise<LoadedLocalModel> {
  const llama = await getLocalLlama({ gpu: options.gpu });
  const { resolveChatWrapper } = await importLocalEngine();
  // Timed after the engine is up: its one-off start is reported by `localEngineStartMs()`.
  const started = performance.now();
  const model: LlamaModel = await loadGgufModel(llama, options);
  try {
    const context = await model.createContext({
      sequences: options.sequences ?? DEFAULT_SEQUENCES,
      contextSize: options.contextSize ?? { max: DEFAULT_MAX_CONTEXT_SIZE },
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    });
    const loadMs = performance.now() - started;
    // Resolved once per model: the file's Jinja template, matched to a specialised wrapper
    // when one renders it identically, else node-llama-cpp's Jinja wrapper.
    const chatWrapper = resolveChatWrapper(model);
    const templateMs = performance.now() - started - loadMs;
    return new LoadedLocalModel(model, context, chatWrapper, options.modelPath, {
      loadMs,
      templateMs,
    });
  } catch (error) {
    await model.dispose();
    throw error;
  }
}
