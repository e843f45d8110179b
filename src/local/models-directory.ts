/**
 * The local model cache: where `moa models pull` saves GGUF files, where `moa demo` writes its
 * toy models, and where `local:<name>` looks names up.
 *
 * @module
 */
import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { ModelSpecError } from "../errors/model-spec-error.js";
import { TOY_MODEL_DESCRIPTION } from "./toy-model.js";

/** Environment variables the local engine reads (through `loadChatModel`'s `env`). */
export const LOCAL_ENVIRONMENT = {
  /** The cache folder. */
  modelsDirectory: "MOA_MODELS_DIR",
  /** Base URL of the model hub. */
  hubUrl: "MOA_HUB_URL",
  /** Access token for gated hub repositories. */
  hubToken: "HF_TOKEN",
  threads: "MOA_LOCAL_THREADS",
  contextSize: "MOA_LOCAL_CONTEXT_SIZE",
  sequences: "MOA_LOCAL_SEQUENCES",
  gpu: "MOA_LOCAL_GPU",
} as const;

/** The cache folder below the home directory when `MOA_MODELS_DIR` is not set. */
export const DEFAULT_MODELS_SUBDIRECTORY = join(".cache", "langgraph-moa", "models");

/** A GGUF file in the cache. */
export interface CachedModel {
  /** What to write after `local:` to use it (its path below the cache, without `.gguf`). */
  name: string;
  path: string;
  sizeBytes: number;
  modifiedAt: Date;
}

/**
 * The cache folder: `MOA_MODELS_DIR`, else `~/.cache/langgraph-moa/models`.
 *
 * @param env - The environment to read (the CLI passes its own; the library never reads
 *   `process.env` itself).
 */
export function modelsDirectory(
  env: Readonly<Record<string, string | undefined>>,
  home: string = homedir(),
): string {
  const configured = env[LOCAL_ENVIRONMENT.modelsDirectory]?.trim();
  if (configured) return resolve(expandHome(configured, home));
  return join(home, DEFAULT_MODELS_SUBDIRECTORY);
}

/**
 * Resolves the model part of a `local:` spec to a GGUF path.
 *
 * - A path (`/abs/model.gguf`, `~/model.gguf`, `./model.gguf`, `../model.gguf`) is used as is.
 * - A name is looked up in the cache: `<cache>/<name>`, `<cache>/<name>.gguf`, else the one
 *   cached file whose file name is `<name>` or `<name>.gguf` (so `local:qwen2.5-0.5b-instruct-q4_k_m`
 *   finds `<cache>/Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf`).
 *
 * Throws {@link ModelSpecError} (`reason: "unavailable"`) naming what to do when nothing is
 * found or a name is ambiguous.
 */
export function resolveLocalModel(
  spec: string,
  name: string,
  directory: string,
  home: string = homedir(),
): string {
  if (looksLikePath(name)) {
    const path = resolve(expandHome(name, home));
    if (!isFile(path)) {
      throw new ModelSpecError({
        spec,
        reason: "unavailable",
        message: `"${spec}": no GGUF file at ${path}. Check the path, or pull a model with \`moa models pull <owner>/<repo>/<file>.gguf\`.`,
      });
    }
    return path;
  }
  for (const candidate of [join(directory, name), join(directory, `${name}.gguf`)]) {
    if (isInside(directory, candidate) && isFile(candidate)) return candidate;
  }
  const matches = listCachedModels(directory).filter(
    (model) => basename(model.path) === name || basename(model.path) === `${name}.gguf`,
  );
  if (matches.length === 1) return matches[0]!.path;
  if (matches.length > 1) {
    throw new ModelSpecError({
      spec,
      reason: "unavailable",
      message: `"${spec}" matches ${matches.length} cached models: ${matches
        .map((model) => `local:${model.name}`)
        .join(", ")}. Use one of these names.`,
    });
  }
  throw new ModelSpecError({
    spec,
    reason: "unavailable",
    variables: [LOCAL_ENVIRONMENT.modelsDirectory],
    message: `"${spec}": no model "${name}" in ${directory}. Download one with \`moa models pull <owner>/<repo>/<file>.gguf\` (see \`moa models list\`), give a path (local:/path/to/model.gguf), or set ${LOCAL_ENVIRONMENT.modelsDirectory} to the folder that holds it.`,
  });
}

/** The GGUF files in the cache (recursively), sorted by name. Unfinished downloads are left out. */
export function listCachedModels(directory: string): CachedModel[] {
  return listFiles(directory, ".gguf");
}

/** Unfinished downloads (`<file>.gguf.partial`) in the cache; `moa models pull` resumes them. */
export function listPartialDownloads(directory: string): CachedModel[] {
  return listFiles(directory, ".gguf.partial");
}

/** True when the file is a toy model written by `createToyModel` (`moa demo`). */
export function isToyModelFile(path: string): boolean {
  // The toy marker is the third metadata entry, well inside the first 4 KB.
  const buffer = Buffer.alloc(4096);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, "r");
    const read = readSync(descriptor, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).includes(TOY_MODEL_DESCRIPTION);
  } catch {
    return false;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

function listFiles(directory: string, suffix: string): CachedModel[] {
  const models: CachedModel[] = [];
  const visit = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith(suffix)) {
        const stats = statSync(path);
        models.push({
          name: relative(directory, path).split(sep).join("/").slice(0, -suffix.length),
          path,
          sizeBytes: stats.size,
          modifiedAt: stats.mtime,
        });
      }
    }
  };
  visit(directory);
  return models.sort((left, right) => left.name.localeCompare(right.name));
}

function looksLikePath(name: string): boolean {
  return (
    isAbsolute(name) ||
    name.startsWith("~/") ||
    name.startsWith("./") ||
    name.startsWith("../") ||
    /^[A-Za-z]:[\\/]/.test(name)
  );
}

function expandHome(path: string, home: string): string {
  return path === "~" || path.startsWith("~/") ? join(home, path.slice(1)) : path;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function isInside(directory: string, path: string): boolean {
  const relation = relative(directory, path);
  return relation !== "" && !relation.startsWith("..") && !isAbsolute(relation);
}
