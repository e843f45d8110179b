import { InvalidArgumentError } from "../errors/invalid-argument-error.js";

/**
 * Size limits of one MoA run, checked before anything is built, so one request cannot make the
 * process allocate without bound (10,000 proposers, `layers: 1e9`, `samples: 1e7`). The
 * deployment owner sets them (factory `limits`, `createConfigurableMixtureOfAgents({ limits })`);
 * a deployed graph's per-run `context` cannot raise them.
 */
export interface MoaLimits {
  /**
   * Proposers in one proposer layer (distinct models or specs, before samples).
   * @default 64
   */
  maxProposersPerLayer: number;
  /**
   * Samples of one proposer (`samples`: parallel branches to the same model).
   * @default 16
   */
  maxSamples: number;
  /**
   * Total layers, the final aggregation included.
   * @default 16
   */
  maxLayers: number;
  /**
   * Model calls one run may make: every proposer layer's calls (proposers × samples) plus the
   * final aggregator or ranker call (retries are not counted).
   * @default 512
   */
  maxCallsPerRun: number;
}

/**
 * The default {@link MoaLimits}. They cover every configuration of the papers with room to
 * spare: MoA is 6 proposers × 3 layers (13 calls), Self-MoA 6 samples, and the largest ablations
 * 12 proposers or 4 proposer layers; 64 proposers per layer, 16 samples, 16 layers and 512 calls
 * per run are several times that, yet far below what exhausts memory (1,000 proposers already
 * doubled the dev server's RSS).
 */
export const DEFAULT_MOA_LIMITS: Readonly<MoaLimits> = Object.freeze({
  maxProposersPerLayer: 64,
  maxSamples: 16,
  maxLayers: 16,
  maxCallsPerRun: 512,
});

/**
 * Applies `overrides` to {@link DEFAULT_MOA_LIMITS}; each override must be a whole number ≥ 1.
 * Throws {@link InvalidArgumentError} naming `limits.<field>`.
 */
export function resolveLimits(overrides: Partial<MoaLimits> | undefined): MoaLimits {
  if (overrides === undefined) return { ...DEFAULT_MOA_LIMITS };
  if (overrides === null || typeof overrides !== "object") {
    throw new InvalidArgumentError({
      parameter: "limits",
      value: overrides,
      message: "pass an object such as `{ maxProposersPerLayer: 128 }`, or leave `limits` out.",
    });
  }
  const limits = { ...DEFAULT_MOA_LIMITS };
  for (const key of Object.keys(DEFAULT_MOA_LIMITS) as (keyof MoaLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!(Number.isSafeInteger(value) && value >= 1)) {
      throw new InvalidArgumentError({
        parameter: `limits.${key}`,
        value,
        message: `must be a whole number ≥ 1 (default ${DEFAULT_MOA_LIMITS[key]}).`,
      });
    }
    limits[key] = value;
  }
  return limits;
}
