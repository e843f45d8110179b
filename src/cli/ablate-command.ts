import { join, resolve } from "node:path";
import { Option, type Command } from "commander";
import { findPrice, priceTokens } from "../models/price-table.js";
import { modelName } from "../models/index.js";
import { loadChatModel } from "../load-chat-model.js";
import { runAblationStudy } from "../ablation/run-ablation-study.js";
import { simulatedStudyBehaviour } from "../testing/simulated-study.js";
import { STUDY_NAMES, buildStudy, type StudyName } from "../ablation/studies.js";
import type { AblationStudyEvent, AblationStudyResult } from "../ablation/study-result.js";
import { describeConfig } from "../ablation/results-table.js";
import { BENCHMARKS, type BenchmarkName } from "../eval/benchmarks/registry.js";
import { PAPER_PROPOSERS } from "../presets/presets.js";
import { loadParameterTable, PARAMETER_FILE_HELP } from "./ablate-parameter-file.js";
import { formatStudySummary } from "./ablate-summary.js";
import { CliError, EXIT } from "./cli-error.js";
import { withFlagNames } from "./flag-errors.js";
import type { CliIo } from "./cli-io.js";
import { withCliRuntime } from "./cli-runtime.js";
import { JUDGE_FLAG_HELP, loadJudge, OFFICIAL_JUDGES } from "./eval-judges.js";
import {
  benchmarkOption,
  integerFlag,
  readableBenchmarkData,
  requireData,
  requireWritableOut,
} from "./eval-options.js";
import { createProgressReporter, type ProgressReporter } from "./eval-progress.js";
import { loadPriceTable, PRICE_FILE_HELP } from "./price-file.js";

interface AblateFlags {
  study: StudyName;
  benchmark: BenchmarkName;
  out: string;
  models?: string;
  aggregator?: string;
  layers?: string;
  judge?: string;
  maxInstances?: string;
  concurrency?: string;
  temperature?: string;
  maxTokens?: string;
  prices?: string;
  parameters?: string;
  cache?: string;
  data?: string;
  skills?: string;
  judgePrompt?: string;
  simulate?: boolean;
  json?: boolean;
}

/** Which flag supplied each parameter of the study, for error messages. */
const PARAMETER_FLAGS: Record<string, string> = {
  study: "--study",
  models: "--models",
  aggregator: "--aggregator",
  layers: "--layers",
  out: "--out",
  benchmark: "--benchmark",
  "data.flask": "--data",
  maxInstances: "--max-instances",
  concurrency: "--concurrency",
};

/**
 * Registers `moa ablate`: one of the paper's ablation studies on a benchmark, every variant
 * generated, judged and scored, identical calls made once through a shared call cache, with a
 * results table (Markdown, CSV) and score-versus-cost and score-versus-TFLOPs plots.
 */
export function registerAblateCommand(program: Command, io: CliIo): void {
  program
    .command("ablate")
    .description(
      "run one of the paper's ablation studies (ranker, proposers, roles, layers) on a benchmark, with a budget analysis and Pareto plots",
    )
    .addOption(
      new Option(
        "--study <name>",
        "ranker (aggregator vs LLM-ranker at 2…L layers), proposers (n = 1, 2, 3, 6: different models vs one model sampled n times), roles (each model as aggregator / as only proposer), layers (1…L)",
      )
        .choices(STUDY_NAMES)
        .makeOptionMandatory(),
    )
    // AlpacaEval 2.0 is the benchmark of the paper's ablations, so it is the default.
    .addOption(benchmarkOption("alpaca-eval"))
    .requiredOption(
      "--out <dir>",
      "study directory: results.md, results.csv, plots, caches, one directory per variant",
    )
    .option(
      "--models <models>",
      'comma-separated "provider:model" list (default: the paper\'s six open models)',
    )
    .option("--aggregator <model>", "the fixed aggregator (default: the first model)")
    .option(
      "--layers <n>",
      "layers including the final aggregation: the largest for ranker and layers (default 3), every variant's for proposers and roles (default 2)",
    )
    .option("--judge <model>", JUDGE_FLAG_HELP)
    .option("--max-instances <n>", "only the first N instances of the benchmark (smoke runs)")
    .option("--concurrency <n>", "instances (and judge calls) at once per variant (default 4)")
    .option("--temperature <t>", "sampling temperature of every call (default 0.7)")
    .option("--max-tokens <n>", "output token cap of every call (default 2048)")
    .option("--prices <file>", PRICE_FILE_HELP)
    .option("--parameters <file>", PARAMETER_FILE_HELP)
    .option(
      "--cache <file>",
      "call cache shared by every variant (default: call-cache.jsonl in --out); point studies at one file to share calls between them",
    )
    .option("--data <path>", "benchmark instances (default: vendored; required for FLASK)")
    .option("--skills <file>", "FLASK skillset_description.json (default: next to --data)")
    .option("--judge-prompt <file>", "FLASK judge_prompt.jsonl (default: next to --data)")
    .option(
      "--simulate",
      "run every model and the judge on the in-process loopback simulator (synthetic numbers, no API keys)",
    )
    .option("--json", "print the study result as one JSON object")
    .action(async (flags: AblateFlags) => {
      io.exitCode = await runAblate(flags, io);
    });
}

async function runAblate(flags: AblateFlags, io: CliIo): Promise<number> {
  const models =
    flags.models === undefined
      ? [...PAPER_PROPOSERS]
      : flags.models
          .split(",")
          .map((spec) => spec.trim())
          .filter(Boolean);
  const layers = integerFlag(flags.layers, "--layers", 1);
  const maxInstances = integerFlag(flags.maxInstances, "--max-instances", 1);
  const concurrency = integerFlag(flags.concurrency, "--concurrency", 1);
  const maxTokens = integerFlag(flags.maxTokens, "--max-tokens", 1);
  const temperature = numberFlag(flags.temperature, "--temperature", 0, 2);
  const studyOptions = {
    models,
    ...(flags.aggregator !== undefined ? { aggregator: flags.aggregator } : {}),
    ...(layers !== undefined ? { layers } : {}),
  };
  // The grid is checked (and the models parsed) before anything is started.
  const variants = withFlagNames(PARAMETER_FLAGS, () => buildStudy(flags.study, studyOptions));
  const benchmark = flags.benchmark;
  requireData(BENCHMARKS[benchmark], flags);
  const { data } = await readableBenchmarkData(
    BENCHMARKS[benchmark],
    { data: flags.data, skills: flags.skills, judgePrompt: flags.judgePrompt },
    { judge: true },
  );
  const prices = loadPriceTable(flags.prices);
  const parameters = loadParameterTable(flags.parameters);
  // The study directory must be writable before any paid call is made.
  await requireWritableOut(join(flags.out, "results.md"), "--out");
  const judgeSpec = flags.judge ?? OFFICIAL_JUDGES[benchmark];
  const judgePrice = findPrice(judgeSpec, prices);
  const controller = new AbortController();
  // Ctrl-C stops the study cleanly: in-flight calls are cancelled, finished work stays on disk.
  const interrupt = () => controller.abort(new Error("interrupted"));
  process.once("SIGINT", interrupt);
  const progress = studyProgress(io, variants.length);
  let result: AblationStudyResult;
  try {
    const simulation = flags.simulate ? { defaultModel: SIMULATION } : undefined;
    const banner = (url: string) =>
      `SIMULATED ablation study: every model and the judge are a loopback OpenAI-compatible simulator at ${url} ` +
      "(real HTTP client, no API keys). The numbers are synthetic; costs are what these tokens would cost at list prices.\n";
    result = await withCliRuntime({ simulation, banner }, io, async ({ env }) => {
      const judge = loadJudge(benchmark, judgeSpec, env);
      return withFlagNames(PARAMETER_FLAGS, () =>
        runAblationStudy({
          study: flags.study,
          variants,
          benchmark,
          out: flags.out,
          loadModel: (spec, settings) => loadChatModel(spec, { env, ...settings }),
          judge,
          judgeSpec,
          ...(flags.simulate ? { judgeName: `${modelName(judge)} (simulated)` } : {}),
          ...(judgePrice
            ? {
                judgeCostOf: (usage) =>
                  priceTokens(judgePrice, usage.inputTokens, usage.outputTokens),
              }
            : {}),
          callCache: flags.cache ?? join(flags.out, "call-cache.jsonl"),
          settings: {
            ...(temperature !== undefined ? { temperature } : {}),
            ...(maxTokens !== undefined ? { maxTokens } : {}),
          },
          prices,
          parameters,
          data,
          ...(maxInstances !== undefined ? { maxInstances } : {}),
          ...(concurrency !== undefined ? { concurrency } : {}),
          signal: controller.signal,
          onEvent: progress.onEvent,
          simulated: flags.simulate === true,
        }),
      );
    });
  } catch (error) {
    progress.stop();
    if (controller.signal.aborted) {
      io.stderr(
        `moa: interrupted; finished work is saved in ${flags.out}. Rerun the same command to continue (cached calls are not repeated).\n`,
      );
      return EXIT.failure;
    }
    throw error;
  } finally {
    process.off("SIGINT", interrupt);
    progress.stop();
  }
  if (flags.json) {
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    io.stdout(`${formatStudySummary(result, { color: io.color, cwd: resolve(".") })}\n`);
  }
  const failures = result.variants.reduce((total, variant) => total + variant.failures, 0);
  if (failures > 0) {
    io.stderr(
      `moa: ${failures} instance(s) failed across the variants (see each variant's *.errors.jsonl); rerun the same command to retry them, finished work and cached calls are kept.\n`,
    );
    return EXIT.failure;
  }
  return EXIT.ok;
}

/** Simulated latencies and lengths: quick, but enough to see the critical path per layer. */
const SIMULATION = simulatedStudyBehaviour({
  latencyMs: { distribution: "uniform", min: 20, max: 80 },
  tokensPerSecond: 2000,
});

/** Progress on stderr: one line per variant, and each stage's progress (bar on a terminal). */
function studyProgress(io: CliIo, total: number) {
  let reporter: ProgressReporter | undefined;
  let stage: string | undefined;
  const stop = () => {
    reporter?.stop();
    reporter = undefined;
    stage = undefined;
  };
  return {
    stop,
    onEvent(event: AblationStudyEvent) {
      switch (event.type) {
        case "variant-start":
          stop();
          io.stderr(
            `[${event.index + 1}/${total}] ${event.variant.id}: ${describeConfig(event.variant.config)}\n`,
          );
          return;
        case "stage-progress":
          if (event.progress.stage !== stage) {
            stop();
            stage = event.progress.stage;
            reporter = createProgressReporter(io);
          }
          reporter?.onProgress(event.progress);
          return;
        case "variant-end": {
          stop();
          const { result } = event;
          const score = result.score
            ? `${result.score.value.toFixed(2)}`
            : "not judged (no answers)";
          io.stderr(
            `      score ${score} · ${result.budget.cachedCalls}/${result.budget.calls} calls from the cache · ${(result.generationWallTimeMs / 1000).toFixed(1)} s\n`,
          );
          return;
        }
      }
    },
  };
}

function numberFlag(
  raw: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new CliError(`${flag} must be a number from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}
