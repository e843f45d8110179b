import { setMaxListeners } from "node:events";
import { HumanMessage } from "@langchain/core/messages";
import type { Command } from "commander";
import { parseMoaConfig, type ResolvedMoaConfig } from "../config/moa-config.js";
import { readAlpacaEvalAnnotations } from "../eval/alpaca-eval/annotations.js";
import { generateAlpacaEval } from "../eval/alpaca-eval/generate.js";
import { judgeAlpacaEval } from "../eval/alpaca-eval/judge.js";
import { loadLengthControlledData } from "../eval/alpaca-eval/length-controlled-data.js";
import { reportAlpacaEval } from "../eval/alpaca-eval/report.js";
import { generateFlask } from "../eval/flask/generate.js";
import { judgeFlask } from "../eval/flask/judge.js";
import { reportFlaskFile } from "../eval/flask/report.js";
import { generateMtBench } from "../eval/mt-bench/generate.js";
import { judgeMtBench } from "../eval/mt-bench/judge.js";
import { reportMtBenchFile } from "../eval/mt-bench/report.js";
import type { StageOptions, StageSummary } from "../eval/stages/run-stage.js";
import { modelName, type ProviderEnvironment } from "../models/index.js";
import {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from "../testing/simulator/index.js";
import { EXIT } from "./cli-error.js";
import { withFlagNames } from "./flag-errors.js";
import type { CliIo } from "./cli-io.js";
import { loadJudge, judgeCostOf, OFFICIAL_JUDGES } from "./eval-judges.js";
import { createMoaRunner } from "./eval-moa-runner.js";
import { createServerMoaRunner } from "./eval-server-runner.js";
import {
  benchmarkOption,
  flaskSideFile,
  integerFlag,
  judgeCachePath,
  requireReadableFile,
  requireWritableOut,
  usageError,
  type Benchmark,
} from "./eval-options.js";
import { createProgressReporter } from "./eval-progress.js";
import {
  formatAlpacaEvalReport,
  formatFlaskReport,
  formatMtBenchReport,
} from "./eval-report-format.js";
import { simulatedJudgeBehaviour } from "./eval-simulated-judges.js";
import { addModelOptions, flagsToConfig, type ModelFlags } from "./model-options.js";
import { loadPriceTable } from "./price-file.js";
import { simulatedEnvironment } from "./simulated-environment.js";

interface StageFlags {
  benchmark: Benchmark;
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
  benchmark: Benchmark;
  judgments?: string;
  annotations?: string;
  data?: string;
  model?: string;
  json?: boolean;
}

const PRICES_HELP =
  "JSON price rows overriding the built-in list prices of the running cost (as in `moa run`)";

const FLASK_DATA_HINT =
  "FLASK is not vendored (its repository has no license): pass --data PATH to flask_evaluation.jsonl " +
  "(github.com/kaistAI/FLASK, evaluation_set/).";

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
    .option(
      "--judge <model>",
      `judge "provider:model" (default: ${Object.entries(OFFICIAL_JUDGES)
        .map(([benchmark, spec]) => `${benchmark} ${spec}`)
        .join(", ")})`,
    )
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
  const benchmark = flags.benchmark;
  if (benchmark === "flask" && flags.data === undefined)
    throw usageError(`--data is required for FLASK. ${FLASK_DATA_HINT}`);
  parseStageOptions(flags);
  const config = parseMoaConfig(flagsToConfig(flags), "moa eval generate options");
  const prices = loadPriceTable(flags.prices);
  if (flags.data !== undefined) await requireReadableFile(flags.data, "--data");
  await requireWritableOut(flags.out);
  const generator = flags.generator ?? defaultGeneratorName(config, flags.simulate === true, flags);
  if (benchmark === "mt-bench" && flags.temperature !== undefined && !flags.json) {
    io.stderr(
      `Note: --temperature ${config.temperature} replaces FastChat's per-category MT-Bench temperatures.\n`,
    );
  }
  // Every proposer branch of every concurrent instance listens to the run's abort signal.
  setMaxListeners(256);
  return withSimulator(
    flags.simulate ? GENERATION_SIMULATION : undefined,
    flags,
    io,
    "answers",
    async (env) => {
      const runner = flags.server
        ? createServerMoaRunner({
            url: flags.server,
            config,
            prices,
            ...(flags.assistant ? { assistantId: flags.assistant } : {}),
            ...(io.env.LANGGRAPH_API_KEY ? { apiKey: io.env.LANGGRAPH_API_KEY } : {}),
          })
        : createMoaRunner(config, env, prices);
      return runStageCommand(
        flags,
        io,
        { "--data": flags.data, "--out": flags.out },
        async (options) => {
          switch (benchmark) {
            case "alpaca-eval":
              return generateAlpacaEval({
                ...options,
                generator,
                out: flags.out,
                ...(flags.data !== undefined ? { evalSet: flags.data } : {}),
                generate: ({ instruction }, { signal }) =>
                  runner.answer([new HumanMessage(instruction)], { signal }),
              });
            case "mt-bench": {
              const fixedTemperature =
                flags.temperature !== undefined ? config.temperature : undefined;
              return generateMtBench({
                ...options,
                modelId: generator,
                out: flags.out,
                ...(flags.data !== undefined ? { questions: flags.data } : {}),
                // One MoA run per turn; turn 2's history holds the aggregated turn-1 answer.
                generate: ({ messages, temperature, signal }) =>
                  runner.answer(messages, { signal, temperature: fixedTemperature ?? temperature }),
              });
            }
            case "flask":
              return generateFlask({
                ...options,
                instances: flags.data as string,
                out: flags.out,
                generate: ({ instruction }, { signal }) =>
                  runner.answer([new HumanMessage(instruction)], { signal }),
              });
          }
        },
      );
    },
  );
}

async function runJudge(flags: JudgeFlags, io: CliIo): Promise<number> {
  const benchmark = flags.benchmark;
  if (benchmark === "flask" && flags.data === undefined)
    throw usageError(`--data is required for FLASK. ${FLASK_DATA_HINT}`);
  parseStageOptions(flags);
  await requireReadableFile(flags.answers, "--answers");
  if (flags.data !== undefined) await requireReadableFile(flags.data, "--data");
  await requireWritableOut(flags.out);
  const skills =
    flags.data === undefined
      ? undefined
      : flaskSideFile(flags.skills, flags.data, "skillset_description.json");
  const judgePrompt =
    flags.data === undefined
      ? undefined
      : flaskSideFile(flags.judgePrompt, flags.data, "judge_prompt.jsonl");
  if (benchmark === "flask") {
    await requireReadableFile(skills as string, "--skills");
    await requireReadableFile(judgePrompt as string, "--judge-prompt");
  }
  const spec = flags.judge ?? OFFICIAL_JUDGES[benchmark];
  const cache = judgeCachePath(flags.cache, flags.out);
  const prices = loadPriceTable(flags.prices);
  const simulation = flags.simulate
    ? { defaultModel: simulatedJudgeBehaviour(benchmark) }
    : undefined;
  return withSimulator(simulation, flags, io, "judgments", async (env) => {
    const judge = loadJudge(benchmark, spec, env);
    const costOf = judgeCostOf(spec, prices);
    const files = {
      "--answers": flags.answers,
      "--data": flags.data,
      "--out": flags.out,
      "--cache": cache || undefined,
      "--skills": skills,
      "--judge-prompt": judgePrompt,
    };
    return runStageCommand(flags, io, files, async (stageOptions) => {
      const options: StageOptions = { ...stageOptions, costOf };
      switch (benchmark) {
        case "alpaca-eval":
          return judgeAlpacaEval({
            ...options,
            outputs: flags.answers,
            judge,
            out: flags.out,
            cache,
            ...(flags.data !== undefined ? { reference: flags.data } : {}),
          });
        case "mt-bench":
          return judgeMtBench({
            ...options,
            answers: flags.answers,
            judge,
            out: flags.out,
            cache,
            // Synthetic judgments say so in the judge column of the file.
            ...(flags.simulate ? { judgeName: `${modelName(judge)} (simulated)` } : {}),
            ...(flags.data !== undefined ? { questions: flags.data } : {}),
          });
        case "flask":
          return judgeFlask({
            ...options,
            answers: flags.answers,
            instances: flags.data as string,
            skills: skills as string,
            prompt: judgePrompt as string,
            judge,
            out: flags.out,
            cache,
          });
      }
    });
  });
}

async function runReport(flags: ReportFlags, io: CliIo): Promise<number> {
  const benchmark = flags.benchmark;
  if (flags.annotations !== undefined && benchmark !== "alpaca-eval") {
    throw usageError(
      "--annotations is for AlpacaEval annotations.json files; use --judgments for MT-Bench and FLASK.",
    );
  }
  if ((flags.judgments === undefined) === (flags.annotations === undefined)) {
    throw usageError(
      benchmark === "alpaca-eval"
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
    async () => {
      switch (benchmark) {
        case "alpaca-eval": {
          const [annotations, data] = await Promise.all([
            readAlpacaEvalAnnotations(path),
            loadLengthControlledData(),
          ]);
          const report = reportAlpacaEval(annotations, data);
          const first = annotations[0];
          const title = first
            ? `AlpacaEval 2.0 — ${first.generator_2} vs ${first.generator_1}`
            : undefined;
          return {
            report,
            text: () =>
              formatAlpacaEvalReport(report, { color: io.color, ...(title ? { title } : {}) }),
          };
        }
        case "mt-bench": {
          const report = await reportMtBenchFile(path, {
            ...(flags.data !== undefined ? { questions: flags.data } : {}),
            ...(flags.model !== undefined ? { model: flags.model } : {}),
          });
          return { report, text: () => formatMtBenchReport(report, { color: io.color }) };
        }
        case "flask": {
          const report = await reportFlaskFile(path);
          return { report, text: () => formatFlaskReport(report, { color: io.color }) };
        }
      }
    },
    files,
  );
  io.stdout(flags.json ? `${JSON.stringify(output.report, null, 2)}\n` : `${output.text()}\n`);
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
 * Starts the loopback simulator for `--simulate` (and says the results are synthetic), runs
 * `body` with the provider environment pointing at it, and stops it.
 */
async function withSimulator<T>(
  simulation: SimulatorOptions | undefined,
  flags: StageFlags,
  io: CliIo,
  what: string,
  body: (env: ProviderEnvironment) => Promise<T>,
): Promise<T> {
  let simulator: Simulator | undefined;
  try {
    if (simulation) {
      simulator = await startSimulator(simulation);
      io.stderr(
        `SIMULATED ${flags.benchmark} ${what}: synthetic, from a loopback OpenAI-compatible simulator at ${simulator.url} ` +
          "(real HTTP client, no API keys). Not a real evaluation.\n",
      );
    }
    return await body(simulator ? simulatedEnvironment(simulator.url, io.env) : io.env);
  } finally {
    await simulator?.close();
  }
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
