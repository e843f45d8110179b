/**
 * The benchmarks of the evaluation harness: one module per benchmark implementing
 * {@link Benchmark}, gathered in {@link BENCHMARKS}. `moa eval` and `moa ablate` drive them
 * through this interface only.
 *
 * @module
 */
export {
  limitInstances,
  type Benchmark,
  type BenchmarkAnswer,
  type BenchmarkData,
  type BenchmarkGenerateParams,
  type BenchmarkJudgeParams,
  type BenchmarkJudgeSettings,
  type BenchmarkMetric,
  type BenchmarkPaths,
  type BenchmarkReport,
  type BenchmarkReportParams,
  type BenchmarkScore,
  type BenchmarkScoreParams,
} from "./benchmark.js";
export { ALPACA_EVAL } from "./alpaca-eval.js";
export { MT_BENCH } from "./mt-bench.js";
export { FLASK } from "./flask.js";
export {
  BENCHMARK_NAMES,
  BENCHMARKS,
  getBenchmark,
  isBenchmarkName,
  type BenchmarkName,
} from "./registry.js";
export {
  ALPACA_EVAL_PUBLISHED,
  MT_BENCH_PUBLISHED,
  formatAlpacaEvalReport,
  formatFlaskReport,
  formatMtBenchReport,
} from "./report-format.js";
