/**
 * The process-wide local models, as the public API sees them: counters and disposal. (The
 * registry itself speaks node-llama-cpp types; this module keeps them out of declarations.)
 *
 * @module
 */
import { localEngineStartMs as engineStartMs } from "./local-engine.js";
import { disposeLoadedModels, loadedModelStats } from "./local-model-registry.js";
import type { LocalModelStats } from "./local-model-types.js";

/**
 * Frees every local model loaded in this process and the engine itself. Call it when done
 * with local models (the CLI does after a run; tests in `afterAll`); a later call loads the
 * models again. A process that simply exits needs no call.
 *
 * @example
 * ```ts
 * const reply = await loadChatModel("local:toy-alpha").invoke("Hi");
 * await disposeLocalModels();
 * ```
 */
export function disposeLocalModels(): Promise<void> {
  return disposeLoadedModels();
}

/**
 * Counters of every local model loaded in this process: file, sequences, chat wrapper, load
 * time, calls, peak concurrent sequences, prompt and generated tokens with their times.
 *
 * @example
 * ```ts
 * for (const model of await localModelStats()) {
 *   console.log(model.modelPath, model.outputTokens / (model.generationMs / 1000), "tokens/s");
 * }
 * ```
 */
export function localModelStats(): Promise<LocalModelStats[]> {
  return loadedModelStats();
}

/**
 * Milliseconds the engine took to start in this process (importing node-llama-cpp, loading and
 * checking its native binary); `undefined` before the first local call.
 */
export function localEngineStartMs(): number | undefined {
  return engineStartMs();
}
