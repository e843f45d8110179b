import { constants } from "node:fs";
import { access, mkdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Option } from "commander";
import type { Benchmark, BenchmarkData, BenchmarkPaths } from "../eval/benchmarks/benchmark.js";
import { BENCHMARK_NAMES, type BenchmarkName } from "../eval/benchmarks/registry.js";
import { CliError, EXIT } from "./cli-error.js";

/**
 * `--benchmark` with its choices (commander reports a wrong one as a usage error): required, or
 * defaulting to `fallback` (shown in the help) when one is given.
 */
export function benchmarkOption(fallback?: BenchmarkName): Option {
  const option = new Option("--benchmark <name>", "the benchmark").choices(BENCHMARK_NAMES);
  return fallback === undefined ? option.makeOptionMandatory() : option.default(fallback);
}

/**
 * Reads a whole-number flag: `undefined` when absent, else an integer ≥ `min`; anything else is
 * a usage error naming the flag.
 */
export function integerFlag(
  raw: string | undefined,
  flag: string,
  min: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value) || value < min) {
    throw new CliError(`${flag} must be a whole number ≥ ${min}, got "${raw}".`, EXIT.usage, {
      flag,
    });
  }
  return value;
}

/**
 * Checks that `path` (given with `flag`) is a readable file before any work starts, so a typo is
 * a usage error naming the flag instead of a failure halfway through a run.
 */
export async function requireReadableFile(path: string, flag: string): Promise<string> {
  try {
    await access(path, constants.R_OK);
    if (!(await stat(path)).isFile()) throw new Error("not a file");
  } catch {
    throw new CliError(`${flag} ${path}: cannot read this file (check the path).`, EXIT.usage, {
      flag,
    });
  }
  return path;
}

/**
 * Checks that `--out` can be written (creating its directory) before any paid call is made.
 */
export async function requireWritableOut(path: string, flag = "--out"): Promise<string> {
  const directory = dirname(path);
  try {
    await mkdir(directory, { recursive: true });
    await access(directory, constants.W_OK);
  } catch {
    throw new CliError(
      `${flag} ${path}: cannot write in ${directory} (check the path and permissions).`,
    );
  }
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new CliError(`${flag} ${path} is a directory; give a file name.`);
  }
  return path;
}

/**
 * The judgment cache file of a judge stage: `--cache PATH`, none with `--no-cache`, else
 * `judge-cache.jsonl` in the directory of `--out`. One file per directory (not per `--out`), so
 * judging the same answers into a fresh file reuses every paid-for reply.
 */
export function judgeCachePath(cache: string | boolean | undefined, out: string): string | false {
  if (cache === false) return false;
  if (typeof cache === "string") return cache;
  return join(dirname(out), "judge-cache.jsonl");
}

/** `--data` for a benchmark that is not vendored, checked before any work. */
export function requireData(benchmark: Benchmark, flags: { data?: string }): void {
  if (benchmark.dataRequired && flags.data === undefined) {
    throw usageError(`--data is required for ${benchmark.title}. ${benchmark.dataRequired}`);
  }
}

/**
 * The benchmark's data from `--data` (and FLASK's `--skills` / `--judge-prompt`, next to it
 * unless given), every file checked readable before any work.
 */
export async function readableBenchmarkData(
  benchmark: Benchmark,
  paths: BenchmarkPaths,
  options: { judge: boolean },
): Promise<{ data: BenchmarkData; sideFiles?: { skills: string; judgePrompt: string } }> {
  if (paths.data !== undefined) await requireReadableFile(paths.data, "--data");
  const data = benchmark.data(paths);
  const sideFiles = options.judge ? benchmark.judgeSideFiles?.(data) : undefined;
  if (sideFiles) {
    await requireReadableFile(sideFiles.skills, "--skills");
    await requireReadableFile(sideFiles.judgePrompt, "--judge-prompt");
  }
  return { data, ...(sideFiles ? { sideFiles } : {}) };
}

/** A usage error (exit 2): what is wrong and how to fix it. */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}
