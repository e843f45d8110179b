import type { Usage } from "../../state/index.js";

/** A snapshot of a running stage, passed to `onProgress` after every change. */
export interface StageProgress {
  /** Stage label, e.g. `alpaca-eval judge`. */
  stage: string;
  /** Instances in this run (after `maxInstances`). */
  total: number;
  /** Instances already finished by earlier runs and skipped. */
  skipped: number;
  /** Instances finished in this run. */
  succeeded: number;
  /** Instances that failed in this run (after retries); they are retried on the next run. */
  failed: number;
  /** Instances in flight. */
  running: number;
  /** Instances not finished yet (`total − skipped − succeeded − failed`). */
  remaining: number;
  /** Judge replies served from the content-hash cache in this run. */
  cached: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
  /** Estimated milliseconds left, from this run's throughput; undefined before the first result. */
  etaMs: number | undefined;
  /** Tokens spent in this run (cached replies cost nothing). */
  usage: Usage;
  /** Running cost in US dollars, when the caller priced the usage (`costOf`) or the stage did. */
  costUsd: number;
  /** The latest failure, for display. */
  lastError?: { id: string; message: string };
}

/** Called with a fresh {@link StageProgress} after every start, finish and failure. */
export type ProgressCallback = (progress: StageProgress) => void;
