/**
 * The toy models of `moa demo`: three proposers and an aggregator, generated into the model
 * cache on first use. Their replies are fixed tables; they show the machinery, not quality.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createToyModel, type CreateToyModelParams } from "./toy-model.js";

/** The demo's toy models: name (as in `local:<name>`) and what each always replies. */
export const DEMO_MODELS: readonly CreateToyModelParams[] = [
  {
    name: "toy-alpha",
    reply:
      "Alpha here: a mixture of agents asks several models the same question, then combines their drafts.",
  },
  {
    name: "toy-beta",
    reply:
      "Beta adds: every layer reads the previous answers as references and writes a better one.",
  },
  {
    name: "toy-gamma",
    reply:
      "Gamma notes: these replies come from toy weights that follow a fixed table, so they show plumbing, not intelligence.",
  },
  {
    name: "toy-aggregator",
    reply:
      "Synthesis of three toy proposers: MoA runs proposers in parallel layers, feeds their answers forward as references, and lets one aggregator write the final reply. Swap in real GGUF models for real answers.",
  },
];

/** The demo's proposer specs. */
export const DEMO_PROPOSERS = ["local:toy-alpha", "local:toy-beta", "local:toy-gamma"] as const;
/** The demo's aggregator spec. */
export const DEMO_AGGREGATOR = "local:toy-aggregator";

/** What {@link ensureDemoModels} did. */
export interface EnsuredDemoModels {
  /** Paths of every demo model. */
  paths: string[];
  /** Paths written by this call (missing or outdated files). */
  written: string[];
  /** Total size of the demo models, bytes. */
  totalBytes: number;
}

/**
 * Writes the demo's toy models into `directory` unless identical files are there already.
 * Generation is deterministic, so this is idempotent; files are written atomically.
 */
export async function ensureDemoModels(directory: string): Promise<EnsuredDemoModels> {
  await mkdir(directory, { recursive: true });
  const result: EnsuredDemoModels = { paths: [], written: [], totalBytes: 0 };
  for (const params of DEMO_MODELS) {
    const { bytes } = createToyModel(params);
    const path = join(directory, `${params.name}.gguf`);
    result.paths.push(path);
    result.totalBytes += bytes.byteLength;
    if (existsSync(path) && Buffer.from(readFileSync(path)).equals(Buffer.from(bytes))) continue;
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, path);
    result.written.push(path);
  }
  return result;
}

/** True for the spec of one of the demo's toy models. */
export function isDemoModelSpec(spec: string): boolean {
  return DEMO_MODELS.some((model) => spec.trim() === `local:${model.name}`);
}
