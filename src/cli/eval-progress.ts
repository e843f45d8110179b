import type { StageProgress } from "../eval/stages/stage-progress.js";
import type { CliIo } from "./cli-io.js";
import { createStderrBar } from "./stderr-progress-bar.js";

/** Shows a stage's progress on stderr; `stop()` before printing anything else. */
export interface ProgressReporter {
  onProgress: (progress: StageProgress) => void;
  stop: () => void;
}

/** Plain-line mode prints at most one line per this interval (besides start and end). */
const LINE_INTERVAL_MS = 15_000;

/**
 * A progress display for a stage on stderr: a live bar with ETA and running cost when stderr is
 * a terminal (cli-progress), otherwise a plain line now and then (every 10 % or 15 s) so logs of
 * long runs stay readable. Never writes to stdout, so `--json` output stays clean.
 */
export function createProgressReporter(io: CliIo): ProgressReporter {
  return stderrIsTerminal(io) ? barReporter(io) : lineReporter(io);
}

/** Whether stderr is an interactive terminal (`main()` says so; captured streams never are). */
export function stderrIsTerminal(io: CliIo): boolean {
  return io.stderrIsTTY === true;
}

function barReporter(io: CliIo): ProgressReporter {
  const bar = createStderrBar(
    io,
    "{stage} [{bar}] {value}/{total} | ETA {etaText} | {costText} | {failed} failed{cachedText}",
  );
  let started = false;
  return {
    onProgress(progress) {
      const payload = {
        stage: progress.stage,
        etaText: formatDuration(progress.etaMs),
        costText: formatCost(progress.costUsd),
        failed: progress.failed,
        cachedText: progress.cached ? ` | ${progress.cached} cached` : "",
      };
      const value = progress.total - progress.remaining;
      if (!started) {
        bar.start(progress.total, value, payload);
        started = true;
      } else {
        bar.update(value, payload);
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function lineReporter(io: CliIo): ProgressReporter {
  let printed = "";
  let lastLine = 0;
  let lastStep = -1;
  let last: StageProgress | undefined;
  const print = (progress: StageProgress) => {
    const text = describeProgress(progress);
    if (text === printed) return;
    io.stderr(`${text}\n`);
    printed = text;
    lastLine = Date.now();
    lastStep = step(progress);
  };
  return {
    onProgress(progress) {
      last = progress;
      if (lastStep < 0 || step(progress) > lastStep || Date.now() - lastLine >= LINE_INTERVAL_MS) {
        print(progress);
      }
    },
    stop() {
      // The final tally, unless the last line already said it.
      if (last) print(last);
      last = undefined;
    },
  };
}

/** Tenths of the run done (0–10). */
function step(progress: StageProgress): number {
  if (progress.total === 0) return 10;
  return Math.floor(((progress.total - progress.remaining) / progress.total) * 10);
}

/** One plain progress line, e.g. `mt-bench judge: 12/160 done (4 cached), 1 failed · ETA 2m 10s · $0.4210`. */
export function describeProgress(progress: StageProgress): string {
  const done = progress.total - progress.remaining;
  const parts = [
    `${progress.stage}: ${done}/${progress.total} done`,
    progress.skipped ? `${progress.skipped} from earlier runs` : undefined,
    progress.cached ? `${progress.cached} cached` : undefined,
    progress.failed ? `${progress.failed} failed` : undefined,
  ].filter(Boolean);
  const eta = progress.remaining > 0 ? ` · ETA ${formatDuration(progress.etaMs)}` : "";
  return `${parts.join(", ")}${eta} · ${formatCost(progress.costUsd)}`;
}

/** `1h 02m`, `3m 05s`, `12s`, or `?` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "?";
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

function formatCost(usd: number): string {
  return `$${usd.toFixed(4)}`;
}
