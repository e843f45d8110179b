import { InvalidArgumentError } from "../../errors/invalid-argument-error.js";
import { ALPACA_EVAL } from "./alpaca-eval.js";
import type { Benchmark } from "./benchmark.js";
import { FLASK } from "./flask.js";
import { MT_BENCH } from "./mt-bench.js";

/**
 * Every benchmark `moa eval` and `moa ablate` run, by name. Adding one is a module implementing
 * {@link Benchmark} and a line here; the CLI's `--benchmark` choices follow.
 */
export const BENCHMARKS = Object.freeze({
  "alpaca-eval": ALPACA_EVAL,
  "mt-bench": MT_BENCH,
  flask: FLASK,
});

/** The name of a benchmark in {@link BENCHMARKS}, as spelled on the command line. */
export type BenchmarkName = keyof typeof BENCHMARKS;

/** The names of {@link BENCHMARKS}, in order. */
export const BENCHMARK_NAMES = Object.freeze(Object.keys(BENCHMARKS) as BenchmarkName[]);

/** Whether `name` is one of {@link BENCHMARK_NAMES}. */
export function isBenchmarkName(name: unknown): name is BenchmarkName {
  return typeof name === "string" && Object.hasOwn(BENCHMARKS, name);
}

/**
 * The benchmark called `name`; an {@link InvalidArgumentError} listing the names otherwise.
 *
 * @example
 * ```ts
 * const summary = await getBenchmark("mt-bench").generate({ data: {}, out, generator, answer });
 * ```
 */
export function getBenchmark(name: string, parameter = "benchmark"): Benchmark {
  if (!isBenchmarkName(name)) {
    throw new InvalidArgumentError({
      parameter,
      value: name,
      message: `unknown benchmark ${JSON.stringify(name)}: use one of ${BENCHMARK_NAMES.join(", ")}.`,
    });
  }
  return BENCHMARKS[name];
}
