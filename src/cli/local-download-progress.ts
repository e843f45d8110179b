import type { PullProgress } from "../local/pull-model.js";
import type { CliIo } from "./cli-io.js";
import { formatDuration, stderrIsTerminal } from "./eval-progress.js";
import { createStderrBar } from "./stderr-progress-bar.js";

/** Shows a download's progress on stderr; `stop()` before printing anything else. */
export interface DownloadProgressReporter {
  onProgress: (progress: PullProgress) => void;
  stop: () => void;
}

/** Plain-line mode prints at most one line per this interval (besides every 10 %). */
const LINE_INTERVAL_MS = 10_000;

/**
 * A progress display for `moa models pull` on stderr: a live bar with size, speed and ETA on a
 * terminal, otherwise a line every 10 % or 10 s, so logs stay readable.
 */
export function createDownloadProgressReporter(
  io: CliIo,
  label: string,
  now: () => number = Date.now,
): DownloadProgressReporter {
  const started = now();
  let firstBytes: number | undefined;
  const describe = (progress: PullProgress) => {
    firstBytes ??= progress.receivedBytes;
    const elapsedSeconds = Math.max((now() - started) / 1000, 1e-3);
    const bytesPerSecond = (progress.receivedBytes - firstBytes) / elapsedSeconds;
    const remaining =
      progress.totalBytes !== undefined && bytesPerSecond > 0
        ? ((progress.totalBytes - progress.receivedBytes) / bytesPerSecond) * 1000
        : undefined;
    return {
      size: `${megabytes(progress.receivedBytes)}/${progress.totalBytes === undefined ? "?" : megabytes(progress.totalBytes)} MB`,
      speed: `${megabytes(bytesPerSecond)} MB/s`,
      eta: formatDuration(remaining),
      resumed:
        progress.resumedFromBytes > 0
          ? ` · resumed at ${megabytes(progress.resumedFromBytes)} MB`
          : "",
    };
  };
  if (stderrIsTerminal(io)) {
    const bar = createStderrBar(
      io,
      `${label} [{bar}] {percentage}% | {size} | {speed} | ETA {eta}{resumed}`,
    );
    let started = false;
    return {
      onProgress(progress) {
        const payload = describe(progress);
        const total = progress.totalBytes ?? Math.max(progress.receivedBytes, 1);
        if (!started) {
          bar.start(total, progress.receivedBytes, payload);
          started = true;
        } else {
          bar.setTotal(total);
          bar.update(progress.receivedBytes, payload);
        }
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastStep = -1;
  let lastLine = 0;
  let last: PullProgress | undefined;
  const print = (progress: PullProgress) => {
    const text = describe(progress);
    const percent =
      progress.totalBytes === undefined
        ? ""
        : `${Math.floor((progress.receivedBytes / Math.max(progress.totalBytes, 1)) * 100)}% · `;
    io.stderr(
      `${label}: ${percent}${text.size} · ${text.speed} · ETA ${text.eta}${text.resumed}\n`,
    );
    lastLine = now();
  };
  return {
    onProgress(progress) {
      last = progress;
      const step =
        progress.totalBytes === undefined || progress.totalBytes === 0
          ? 0
          : Math.floor((progress.receivedBytes / progress.totalBytes) * 10);
      if (step > lastStep || now() - lastLine >= LINE_INTERVAL_MS) {
        lastStep = step;
        print(progress);
      }
    },
    stop() {
      if (last && lastStep < 10 && last.receivedBytes === last.totalBytes) print(last);
      last = undefined;
    },
  };
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}
