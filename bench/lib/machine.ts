import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";

/** What the figures were measured on. */
export interface MachineDescription {
  /** Processors available to this process (`nproc`). */
  processors: number;
  /** CPU model from /proc/cpuinfo (or `os.cpus()`). */
  cpu: string;
  node: string;
  memoryGiB: number;
  /** 1-minute load average when the description was taken. */
  load1: number;
}

/** Describes this machine. */
export function describeMachine(): MachineDescription {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((entry) => entry.startsWith("model name"));
    if (line) cpu = line.split(":").slice(1).join(":").trim();
  } catch {
    // Not Linux: os.cpus() is good enough.
  }
  return {
    processors: availableParallelism(),
    cpu,
    node: process.version,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    load1: loadavg()[0]!,
  };
}

/** One line: `2 × AMD EPYC, node v20.20.2, 7.8 GiB, load 0.42`. */
export function formatMachine(machine: MachineDescription = describeMachine()): string {
  return `${machine.processors} × ${machine.cpu}, node ${machine.node}, ${machine.memoryGiB} GiB, load ${machine.load1.toFixed(2)}`;
}

/**
 * Waits until the 1-minute load average is below `threshold` (other processes on a shared
 * machine distort timings), checking every 15 s for at most `maxWaitMs`. Resolves with the load
 * it saw last and whether it was quiet.
 */
export async function waitForQuietMachine(
  threshold: number,
  maxWaitMs: number,
  log: (line: string) => void,
): Promise<{ load1: number; quiet: boolean }> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const load1 = loadavg()[0]!;
    if (load1 < threshold) return { load1, quiet: true };
    if (Date.now() >= deadline) return { load1, quiet: false };
    log(`load ${load1.toFixed(2)} ≥ ${threshold}: waiting for a quiet machine…`);
    await new Promise((resolve) => setTimeout(resolve, 15_000));
  }
}
