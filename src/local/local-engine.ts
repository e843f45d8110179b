/**
 * The lazily loaded node-llama-cpp engine. node-llama-cpp is an optional peer dependency of
 * 200–700 MB (see docs/local-models.md), so nothing imports it statically: the first `local:`
 * model call loads it, and users who never run local models never do.
 *
 * @module
 */
import { createRequire } from "node:module";
import { ModelSpecError } from "../errors/model-spec-error.js";

/** The node-llama-cpp module, for internal use (its types never reach the public API). */
export type NodeLlamaCpp = typeof import("node-llama-cpp");
/** A node-llama-cpp `Llama` instance. */
export type LlamaInstance = Awaited<ReturnType<NodeLlamaCpp["getLlama"]>>;

/** What to tell a user whose install lacks node-llama-cpp. */
export const INSTALL_HINT =
  "install the embedded engine with `npm install node-llama-cpp` (about 200 MB with only the CPU build, 725 MB with every GPU build; see docs/local-models.md)";

let engine: Promise<NodeLlamaCpp> | undefined;
const llamas = new Map<string, Promise<LlamaInstance>>();
let startMs: number | undefined;

/**
 * Throws {@link ModelSpecError} (`reason: "unavailable"`) when node-llama-cpp cannot be
 * resolved. Resolving does not load it, so this is cheap enough for `loadChatModel`.
 *
 * @param resolve - How to resolve a package (tests pass a failing resolver).
 */
export function assertLocalEngineInstalled(
  spec: string,
  resolve: (specifier: string) => string = createRequire(import.meta.url).resolve,
): void {
  try {
    resolve("node-llama-cpp");
  } catch (error) {
    throw missingEngineError(spec, error);
  }
}

/** Imports node-llama-cpp once per process. */
export function importLocalEngine(spec = "local:"): Promise<NodeLlamaCpp> {
  engine ??= import("node-llama-cpp").catch((error: unknown) => {
    engine = undefined;
    throw missingEngineError(spec, error);
  });
  return engine;
}

/** Options of the process-wide `Llama` instance. */
export interface LocalEngineOptions {
  /**
   * Use a GPU when node-llama-cpp has a binary for one. `false` runs on the CPU prebuilt binary,
   * which is the one every install has.
   * @default false
   */
  gpu?: boolean;
}

/**
 * The process-wide node-llama-cpp `Llama` instance (one per GPU setting). Never builds
 * llama.cpp from source: a missing binary is an error with a fix, not a surprise compile.
 */
export function getLocalLlama(options: LocalEngineOptions = {}): Promise<LlamaInstance> {
  const key = options.gpu ? "gpu" : "cpu";
  let llama = llamas.get(key);
  if (llama === undefined) {
    const started = performance.now();
    llama = importLocalEngine().then(async ({ getLlama, LlamaLogLevel }) => {
      try {
        const instance = await getLlama({
          gpu: options.gpu ? "auto" : false,
          build: "never",
          progressLogs: false,
          logLevel: LlamaLogLevel.warn,
        });
        startMs = performance.now() - started;
        return instance;
      } catch (error) {
        throw new Error(
          `node-llama-cpp has no prebuilt binary for this machine (${describe(error)}). ` +
            "Reinstall node-llama-cpp so npm fetches the binary for your platform (`npm install node-llama-cpp`), " +
            "or build one with `npx --no node-llama-cpp source download`.",
          { cause: error },
        );
      }
    });
    llamas.set(key, llama);
    llama.catch(() => llamas.delete(key));
  }
  return llama;
}

/**
 * Milliseconds the engine took to start in this process (importing node-llama-cpp, loading
 * and checking its binary), once; `undefined` before the first local call.
 */
export function localEngineStartMs(): number | undefined {
  return startMs;
}

/** Disposes the `Llama` instances (after their models). */
export async function disposeLocalLlamas(): Promise<void> {
  const pending = [...llamas.values()];
  llamas.clear();
  for (const llama of pending) {
    try {
      await (await llama).dispose();
    } catch {
      // A failed load has nothing to dispose.
    }
  }
}

function missingEngineError(spec: string, cause: unknown): ModelSpecError {
  return new ModelSpecError({
    spec,
    reason: "unavailable",
    message: `"${spec}" runs on the embedded engine, but node-llama-cpp is not installed: ${INSTALL_HINT}. Or serve the GGUF with an OpenAI-compatible server (llama.cpp server, Ollama) and use "openai:" with OPENAI_BASE_URL or "ollama:".`,
    cause,
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A model loaded by node-llama-cpp, for internal use. */
export type LlamaModelInstance = Awaited<ReturnType<LlamaInstance["loadModel"]>>;

/**
 * Loads a GGUF file on the engine (on the CPU unless `gpu`), with an error that names the file
 * when node-llama-cpp cannot read it.
 */
export async function loadGgufModel(
  llama: LlamaInstance,
  options: { modelPath: string; gpu?: boolean },
): Promise<LlamaModelInstance> {
  try {
    return await llama.loadModel({
      modelPath: options.modelPath,
      ...(options.gpu ? {} : { gpuLayers: 0 }),
    });
  } catch (error) {
    throw new Error(
      `cannot load the GGUF model ${options.modelPath}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
