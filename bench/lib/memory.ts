import { readFileSync, writeFileSync } from "node:fs";

/**
 * Peak resident set size of this process in bytes: the kernel's high-water mark (`VmHWM` in
 * /proc/self/status), which catches spikes between samples; `undefined` off Linux.
 */
export function peakRssFromKernel(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resets the kernel's high-water mark (`VmHWM`) to the current RSS, so that the next
 * {@link peakRssFromKernel} is the peak since now (Linux ≥ 4.0: `echo 5 > /proc/self/clear_refs`).
 * Returns false where that is not possible; the high-water mark then covers the whole process.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

/** Samples `process.memoryUsage.rss()` every `intervalMs`; `stop()` returns the largest sample. */
export function sampleRss(intervalMs = 50): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** Bytes → MiB with one decimal. */
export function mebibytes(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}
