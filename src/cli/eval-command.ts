import type { Command } from "commander";
import { parseMoaConfig, type ResolvedMoaConfig } from "../config/moa-config.js";
import { BENCHMARKS, type BenchmarkName } from "../eval/benchmarks/registry.js";
import type { StageOptions, StageSummary } from "../eval/stages/run-stage.js";
import { modelName } from "../models/index.js";
import type { SimulatorOptions } from "../testing/simulator/index.js";
import { EXIT } from "./cli-error.js";
import { withFlagNames } from "./flag-errors.js";
import type { CliIo } from "./cli-io.js";
import { withCliRuntime, type CliRuntimeOptions } from "./cli-runtime.js";
import { JUDGE_FLAG_HELP, loadJudge, judgeCostOf, OFFICIAL_JUDGES } from "./eval-judges.js";
import { createMoaRunner } from "./eval-moa-runner.js";
import { createServerMoaRunner } from "./eval-server-runner.js";
import {
  benchmarkOption,
  integerFlag,
  judgeCachePath,
  readableBenchmarkData,
  requireData,
  requireReadableFile,
  requireWritableOut,
  usageError,
} from "./eval-options.js";
import { createProgressReporter } from "./eval-progress.js";
import { simulatedJudgeBehaviour } from "./eval-simulated-judges.js";
import { addModelOptions, flagsToConfig, type ModelFlags } from "./model-options.js";
import { loadPriceTable } from "./price-file.js";

interface StageFlags {
  benchmark: BenchmarkName;
  prices?: string;
  out: string;
  data?: string;
  maxInstances?: string;
  concurrency?: string;
  simulate?: boolean;
  json?: boolean;
}

interface GenerateFlags extends StageFlags, ModelFlags {
  generator?: string;
  server?: string;
  assistant?: string;
}

interface JudgeFlags extends StageFlags {
  answers: string;
  judge?: string;
  cache?: string | boolean;
  skills?: string;
  judgePrompt?: string;
}

interface ReportFlags {
  benchmark: BenchmarkName;
  judgments?: string;
  annotations?: string;
  data?: string;
  model?: string;
  json?: boolean;
}

const PRICES_HELP =
  "JSON price rows overriding the built-in list prices of the running cost (as in `moa run`)";

/**
 * Registers `moa eval generate | judge | report`: AlpacaEval 2.0, MT-Bench and FLASK in three
 * resumable stages over files, with the MoA graph of the model options as the generator and the
 * official judges by default.
 */
export function registerEvalCommand(program: Command, io: CliIo): void {
  const evaluation = program
    .command("eval")
    .description(
      "evaluate a Mixture-of-Agents on AlpacaEval 2.0, MT-Bench or FLASK: generate → judge → report",
    );

  addModelOptions(
    evaluation
      .command("generate")
      .description(
        "answer the benchmark's instructions with the MoA graph (resumable: reruns skip finished ones, retry failed ones)",
      )
      .addOption(benchmarkOption()),
  )
    .requiredOption(
      "--out <file>",
      "answers file to write (AlpacaEval model_outputs.json, FastChat / FLASK JSONL)",
    )
    .option(
      "--data <path>",
      "benchmark instances (default: vendored AlpacaEval eval set / MT-Bench questions; required for FLASK)",
    )
    .option("--generator <name>", "model name written into the answers (default: moa-<preset>)")
    .option(
      "--server <url>",
      "run each instance on a LangGraph server (graph `moa`; the options become the run's context) instead of in process",
    )
    .option("--assistant <id>", "with --server: the assistant or graph id to run (default: moa)")
    .option("--max-instances <n>", "only the first N instances (smoke runs)")
    .option("--concurrency <n>", "instances run at once (default 4)")
    .option("--prices <file>", PRICES_HELP)
    .option(
      "--simulate",
      "answer with the in-process loopback simulator (synthetic answers, no API keys)",
    )
    .option("--json", "print the run summary as one JSON object")
    .action(async (flags: GenerateFlags) => {
      io.exitCode = await runGenerate(flags, io);
    });

  evaluation
    .command("judge")
    .description(
      "judge answers with the benchmark's official judge (resumable; replies cached by content hash)",
    )
    .addOption(benchmarkOption())
    .requiredOption(
      "--answers <file>",
      "answers written by `moa eval generate` (or in the upstream format)",
    )
    .requiredOption(
      "--out <file>",
      "judgments file to write (AlpacaEval annotations.json, FastChat / FLASK JSONL)",
    )
    .option("--judge <model>", JUDGE_FLAG_HELP)
    .option("--data <path>", "benchmark instances (default: vendored; required for FLASK)")
    .option("--skills <file>", "FLASK skillset_description.json (default: next to --data)")
    .option("--judge-prompt <file>", "FLASK judge_prompt.jsonl (default: next to --data)")
    .option("--cache <file>", "judgment cache (default: judge-cache.jsonl next to --out)")
    .option("--no-cache", "do not read or write the judgment cache")
    .option("--max-instances <n>", "only the first N judgments (smoke runs)")
    .option("--concurrency <n>", "judge calls at once (default 4)")
    .option("--prices <file>", PRICES_HELP)
    .option(
      "--simulate",
      "judge with the in-process loopback simulator (synthetic verdicts, no API keys)",
    )
    .option("--json", "print the run summary as one JSON object")
    .action(async (flags: JudgeFlags) => {
      io.exitCode = await runJudge(flags, io);
    });

  evaluation
    .command("report")
    .description(
      "score judgments with the official metrics (AlpacaEval win rate and LC win rate, MT-Bench, FLASK)",
    )
    .addOption(benchmarkOption())
    .option("--judgments <file>", "judgments written by `moa eval judge`")
    .option("--annotations <file>", "AlpacaEval only: an official annotations.json to re-score")
    .option("--data <path>", "MT-Bench questions, for the per-category scores (default: vendored)")
    .option("--model <name>", "MT-Bench: the model to report when the judgments cover several")
    .option("--json", "print the report as one JSON object with the official field names")
    .action(async (flags: ReportFlags) => {
      io.exitCode = await runReport(flags, io);
    });
}

async function runGenerate(flags: GenerateFlags, io: CliIo): Promise<number> {
  const benchmark = BENCHMARKS[flags.benchmark];
  requireData(benchmark, flags);
  parseStageOptions(flags);
  const config = parseMoaConfig(flagsToConfig(flags), "moa eval generate options");
  const prices = loadPriceTable(flags.prices);
  const { data } = await readableBenchmarkData(benchmark, { data: flags.data }, { judge: false });
  await requireWritableOut(flags.out);
  const generator = flags.generator ?? defaultGeneratorName(config, flags.simulate === true, flags);
  // `--temperature` replaces the benchmark's own temperatures (MT-Bench's per-category ones).
  const fixedTemperature = flags.temperature !== undefined ? config.temperature : undefined;
  if (benchmark.temperatureNote && fixedTemperature !== undefined && !flags.json) {
    io.stderr(`Note: --temperature ${fixedTemperature} ${benchmark.temperatureNote}.\n`);
  }
  return withCliRuntime(
    simulatedStage(flags.simulate ? GENERATION_SIMULATION : undefined, flags, "answers"),
    io,
    async ({ env }) => {
      const runner = flags.server
        ? createServerMoaRunner({
            url: flags.server,
            config,
            prices,
            ...(flags.assistant ? { assistantId: flags.assistant } : {}),
            ...(io.env.LANGGRAPH_API_KEY ? { apiKey: io.env.LANGGRAPH_API_KEY } : {}),
          })
        : createMoaRunner(config, env, prices);
      return runStageCommand(flags, io, { "--data": flags.data, "--out": flags.out }, (options) =>
        benchmark.generate({
          ...options,
          data,
          out: flags.out,
          generator,
          answer: (messages, { signal, temperature }) => {
            const runTemperature = fixedTemperature ?? temperature;
            return runner.answer(messages, {
              ...(signal ? { signal } : {}),
              ...(runTemperature !== undefined ? { temperature: runTemperature } : {}),
            });
          },
        }),
      );
    },
  );
}

async function runJudge(flags: JudgeFlags, io: CliIo): Promise<number> {
  const benchmark = BENCHMARKS[flags.benchmark];
  requireData(benchmark, flags);
  parseStageOptions(flags);
  await requireReadableFile(flags.answers, "--answers");
  const { data, sideFiles } = await readableBenchmarkData(
    benchmark,
    { data: flags.data, skills: flags.skills, judgePrompt: flags.judgePrompt },
    { judge: true },
  );
  await requireWritableOut(flags.out);
  const spec = flags.judge ?? OFFICIAL_JUDGES[flags.benchmark];
  const cache = judgeCachePath(flags.cache, flags.out);
  const prices = loadPriceTable(flags.prices);
  const simulation = flags.simulate
    ? { defaultModel: simulatedJudgeBehaviour(flags.benchmark) }
    : undefined;
  return withCliRuntime(simulatedStage(simulation, flags, "judgments"), io, async ({ env }) => {
    const judge = loadJudge(flags.benchmark, spec, env);
    const costOf = judgeCostOf(spec, prices);
    const files = {
      "--answers": flags.answers,
      "--data": flags.data,
      "--out": flags.out,
      "--cache": cache || undefined,
      "--skills": sideFiles?.skills,
      "--judge-prompt": sideFiles?.judgePrompt,
    };
    return runStageCommand(flags, io, files, (options) =>
      benchmark.judge({
        ...options,
        costOf,
        data,
        answers: flags.answers,
        judge,
        out: flags.out,
        cache,
        // Synthetic judgments say so in the judge column of the file.
        ...(flags.simulate ? { judgeName: `${modelName(judge)} (simulated)` } : {}),
      }),
    );
  });
}

async function runReport(flags: ReportFlags, io: CliIo): Promise<number> {
  const benchmark = BENCHMARKS[flags.benchmark];
  if (flags.annotations !== undefined && !benchmark.readsUpstreamJudgments) {
    throw usageError(
      "--annotations is for AlpacaEval annotations.json files; use --judgments for MT-Bench and FLASK.",
    );
  }
  if ((flags.judgments === undefined) === (flags.annotations === undefined)) {
    throw usageError(
      benchmark.readsUpstreamJudgments
        ? "pass exactly one of --judgments FILE (from `moa eval judge`) or --annotations FILE (an official annotations.json)."
        : "--judgments FILE is required (the file `moa eval judge` wrote).",
    );
  }
  const flag = flags.judgments !== undefined ? "--judgments" : "--annotations";
  const path = await requireReadableFile((flags.judgments ?? flags.annotations) as string, flag);
  if (flags.data !== undefined) await requireReadableFile(flags.data, "--data");
  const files = { [flag]: path, "--data": flags.data };
  const output = await withFlagNames(
    { ...PARAMETER_FLAGS, annotations: flag, judgments: flag },
    () =>
      benchmark.report({
        judgments: path,
        data: benchmark.data({ data: flags.data }),
        ...(flags.model !== undefined ? { model: flags.model } : {}),
      }),
    files,
  );
  io.stdout(
    flags.json
      ? `${JSON.stringify(output.report, null, 2)}\n`
      : `${output.text({ color: io.color })}\n`,
  );
  return EXIT.ok;
}

/** `--max-instances` and `--concurrency`, checked before any work. */
function parseStageOptions(flags: StageFlags): StageOptions {
  const maxInstances = integerFlag(flags.maxInstances, "--max-instances", 0);
  const concurrency = integerFlag(flags.concurrency, "--concurrency", 1);
  return {
    ...(maxInstances !== undefined ? { maxInstances } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
  };
}

/**
 * Runs one stage with a progress display, Ctrl-C handling and the closing summary. Exit 0 when
 * every instance is finished, 1 when failures remain (they are retried by a rerun).
 */
async function runStageCommand(
  flags: StageFlags,
  io: CliIo,
  files: Record<string, string | undefined>,
  run: (options: StageOptions) => Promise<StageSummary<unknown>>,
): Promise<number> {
  const stageOptions = parseStageOptions(flags);
  const progress = createProgressReporter(io);
  const controller = new AbortController();
  // Ctrl-C stops the run cleanly: in-flight calls are cancelled, finished work stays on disk.
  // A second Ctrl-C (the listener is gone) kills the process as usual.
  const interrupt = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", interrupt);
  let summary: StageSummary<unknown>;
  try {
    summary = await withFlagNames(
      PARAMETER_FLAGS,
      () => run({ ...stageOptions, signal: controller.signal, onProgress: progress.onProgress }),
      files,
    );
  } catch (error) {
    if (controller.signal.aborted) {
      progress.stop();
      io.stderr(
        `moa: interrupted; finished work is saved in ${flags.out}. Rerun the same command to continue.\n`,
      );
      return EXIT.failure;
    }
    throw error;
  } finally {
    process.off("SIGINT", interrupt);
    progress.stop();
  }
  const failures = summary.failures;
  if (flags.json) {
    io.stdout(
      `${JSON.stringify(
        {
          stage: summary.stage,
          simulated: flags.simulate === true,
          out: summary.path,
          total: summary.total,
          skipped: summary.skipped,
          succeeded: summary.succeeded,
          failed: failures.length,
          cached: summary.cached,
          usage: summary.usage,
          costUsd: summary.costUsd,
          failuresPath: failures.length ? summary.failuresPath : null,
          failures,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.stdout(
      `${summary.stage}: ${summary.succeeded} finished now, ${summary.skipped} from earlier runs` +
        `${summary.cached ? `, ${summary.cached} from the judgment cache` : ""}, ${failures.length} failed → ${summary.path}\n` +
        `tokens: ${summary.usage.inputTokens} in / ${summary.usage.outputTokens} out · cost: $${summary.costUsd.toFixed(4)} (list prices; models without a price count as $0)\n`,
    );
  }
  if (failures.length === 0) return EXIT.ok;
  const first = failures[0]!;
  io.stderr(
    `moa: ${failures.length} instance(s) failed and are recorded in ${summary.failuresPath} ` +
      `(first: ${truncate(first.id, 60)}: ${truncate(first.error, 200)}). ` +
      "Rerun the same command to retry them; finished work is kept.\n",
  );
  return EXIT.failure;
}

/** Which flag supplied each stage parameter, for error messages. */
const PARAMETER_FLAGS: Record<string, string> = {
  outputs: "--answers",
  answers: "--answers",
  answerTurns: "--answers",
  judge: "--judge",
  items: "--data",
  generator: "--generator",
  judgments: "--judgments",
  model: "--model",
  referenceAnswer: "--data",
  judgePrompts: "--data",
};

/**
 * The loopback simulator for `--simulate`, with the line that says the results are synthetic.
 */
function simulatedStage(
  simulation: SimulatorOptions | undefined,
  flags: StageFlags,
  what: string,
): CliRuntimeOptions {
  return {
    simulation,
    banner: (url) =>
      `SIMULATED ${flags.benchmark} ${what}: synthetic, from a loopback OpenAI-compatible simulator at ${url} ` +
      "(real HTTP client, no API keys). Not a real evaluation.\n",
  };
}

/** Instant synthetic answers of a modest length: a smoke run of the whole pipeline in seconds. */
const GENERATION_SIMULATION: SimulatorOptions = { defaultModel: { outputTokens: 48 } };

/**
 * The generator name written into answers files when `--generator` is not given: the preset
 * (`moa`, `moa-lite`, `moa-gpt-4o`, else `moa-<preset>`), `-custom` when the models or layers
 * were changed, `-simulated` for synthetic answers.
 */
export function defaultGeneratorName(
  config: ResolvedMoaConfig,
  simulated: boolean,
  flags: ModelFlags = {},
): string {
  const base = config.preset.startsWith("moa") ? config.preset : `moa-${config.preset}`;
  const custom =
    flags.proposers !== undefined || flags.aggregator !== undefined || flags.layers !== undefined
      ? "-custom"
      : "";
  return `${base}${custom}${simulated ? "-simulated" : ""}`;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
