import { z } from "zod";
import { setMaxListeners } from "node:events";

/**
 * Process-wide settings of every benchmark process: tracing off (the benchmarks talk to loopback
 * only), and no MaxListeners warning when a few hundred parallel `ChatOpenAI` calls each add an
 * abort listener to shared signals.
 */
export function prepareBenchProcess(): void {
  process.env.LANGSMITH_TRACING = "false";
  process.env.LANGCHAIN_TRACING_V2 = "false";
  setMaxListeners(1_000);
  // What the `moa` CLI and the deployed graph do (see src/cli/main.ts): measure it with
  // MOA_BENCH_ZOD_JITLESS=1.
  if (process.env.MOA_BENCH_ZOD_JITLESS === "1") z.config({ jitless: true });
}
