import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import {
  variantStages,
  type VariantStageContext,
} from "../../../../src/ablation/benchmark-stages.js";
import type { RunBudgetAnalysis } from "../../../../src/ablation/budget-analysis.js";
import { benchmarkOption } from "../../../../src/cli/eval-options.js";
import { OFFICIAL_JUDGES } from "../../../../src/cli/eval-judges.js";
import { InvalidArgumentError } from "../../../../src/errors/index.js";
import type {
  Benchmark,
  BenchmarkGenerateParams,
  BenchmarkJudgeParams,
  BenchmarkScoreParams,
} from "../../../../src/eval/benchmarks/benchmark.js";
import {
  BENCHMARK_NAMES,
  BENCHMARKS,
  getBenchmark,
  isBenchmarkName,
} from "../../../../src/eval/benchmarks/registry.js";
import { JudgmentCache } from "../../../../src/eval/stages/judgment-cache.js";
import type { StageSummary } from "../../../../src/eval/stages/run-stage.js";
import { FakeChatModel } from "../../../../src/testing/index.js";

const summary = (stage: string, path: string): StageSummary<unknown> =>
  ({
    stage,
    path,
    failuresPath: `${path}.failures.jsonl`,
    total: 2,
    skipped: 0,
    succeeded: 2,
    cached: 0,
    failures: [],
    results: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
  }) as unknown as StageSummary<unknown>;

/** A two-question benchmark that records what the generic stage code hands it. */
function fakeBenchmark() {
  const seen: {
    generate?: BenchmarkGenerateParams;
    judge?: BenchmarkJudgeParams;
    score?: BenchmarkScoreParams;
  } = {};
  const benchmark: Benchmark<"fake"> = {
    name: "fake",
    title: "Fake bench",
    metric: { title: "Fake score", column: "fake", instanceScore: "1 per answer" },
    judgeSettings: { officialJudge: "fake:judge", temperature: 0, maxTokens: 8 },
    answersFile: "fake-answers.jsonl",
    judgmentsFile: "fake-judgments.jsonl",
    data: (paths) => (paths.data ? { alpacaEvalSet: paths.data } : {}),
    runIds: async (_data, maxInstances) => ["fake#1", "fake#2"].slice(0, maxInstances),
    async generate(params) {
      seen.generate = params;
      for (const runId of ["fake#1", "fake#2"]) {
        await params.answer([new HumanMessage(`question ${runId}`)], { runId, temperature: 0.3 });
      }
      return summary("generate", params.out);
    },
    async judge(params) {
      seen.judge = params;
      return summary("judge", params.out);
    },
    async report() {
      return { report: { score: 1 }, text: () => "score 1" };
    },
    async score(params) {
      seen.score = params;
      return { value: 1, details: {}, judged: 2 };
    },
  };
  return { benchmark, seen };
}

describe("BENCHMARKS", () => {
  it("lists exactly AlpacaEval, MT-Bench and FLASK, each under its own name", () => {
    expect(BENCHMARK_NAMES).toEqual(["alpaca-eval", "mt-bench", "flask"]);
    for (const name of BENCHMARK_NAMES) expect(BENCHMARKS[name].name).toBe(name);
  });

  it.each(BENCHMARK_NAMES)("%s implements every stage of the Benchmark interface", (name) => {
    const benchmark: Benchmark = BENCHMARKS[name];
    for (const method of ["data", "runIds", "generate", "judge", "report", "score"] as const) {
      expect(typeof benchmark[method]).toBe("function");
    }
    expect(benchmark.metric.title).not.toBe("");
    expect(benchmark.judgeSettings.officialJudge).toMatch(/^openai:/);
    expect(benchmark.answersFile).not.toBe(benchmark.judgmentsFile);
  });

  it("is where the CLI's --benchmark choices and default judges come from", () => {
    expect(benchmarkOption().argChoices).toEqual([...BENCHMARK_NAMES]);
    expect(Object.keys(OFFICIAL_JUDGES)).toEqual([...BENCHMARK_NAMES]);
    expect(OFFICIAL_JUDGES["mt-bench"]).toBe(BENCHMARKS["mt-bench"].judgeSettings.officialJudge);
  });

  it("getBenchmark returns a benchmark by name and names every choice for an unknown one", () => {
    expect(getBenchmark("flask")).toBe(BENCHMARKS.flask);
    expect(isBenchmarkName("mt-bench")).toBe(true);
    expect(isBenchmarkName("toString")).toBe(false);
    expect(() => getBenchmark("gsm8k")).toThrow(InvalidArgumentError);
    expect(() => getBenchmark("gsm8k")).toThrow(
      /`benchmark`: unknown benchmark "gsm8k": use one of alpaca-eval, mt-bench, flask\./,
    );
  });

  it("maps FLASK's --data to its files, the side files next to it unless given", () => {
    expect(BENCHMARKS.flask.data({ data: "/d/flask_evaluation.jsonl" })).toEqual({
      flask: {
        instances: "/d/flask_evaluation.jsonl",
        skills: "/d/skillset_description.json",
        prompt: "/d/judge_prompt.jsonl",
      },
    });
    expect(BENCHMARKS["mt-bench"].data({ data: "/q.jsonl" })).toEqual({
      mtBenchQuestions: "/q.jsonl",
    });
    expect(BENCHMARKS["alpaca-eval"].data({})).toEqual({});
  });

  it("only FLASK (not vendored) refuses data without its files", () => {
    expect(() => BENCHMARKS.flask.checkData?.({})).toThrow(/`data\.flask`: FLASK is not vendored/);
    expect(() =>
      BENCHMARKS.flask.checkData?.(BENCHMARKS.flask.data({ data: "/f.jsonl" })),
    ).not.toThrow();
    expect(BENCHMARKS["alpaca-eval"].checkData).toBeUndefined();
    expect(BENCHMARKS["mt-bench"].checkData).toBeUndefined();
  });
});

describe("variantStages", () => {
  it("drives any Benchmark through a variant's directory, recording each run's budget", async () => {
    const { benchmark, seen } = fakeBenchmark();
    const directory = await mkdtemp(join(tmpdir(), "moa-registry-"));
    const recorded: [string, RunBudgetAnalysis][] = [];
    const answered: { text: string; temperature?: number }[] = [];
    const judge = new FakeChatModel({ model: "judge", reply: () => "ok" });
    const context: VariantStageContext = {
      runner: {
        async answer(messages, options = {}) {
          answered.push({
            text: String(messages.at(-1)!.content),
            ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
          });
          return {
            output: "answer",
            budget: { inputTokens: answered.length } as unknown as RunBudgetAnalysis,
          };
        },
      },
      directory,
      generator: "ablation-fake",
      judge,
      judgeCache: await JudgmentCache.open(join(directory, "judge-cache.jsonl")),
      data: {},
      stage: { concurrency: 2 },
      recordRun: async (id, budget) => {
        recorded.push([id, budget]);
      },
    };
    const stages = variantStages(benchmark);

    expect(stages.metric).toBe(benchmark.metric);
    expect(stages.answersPath(directory)).toBe(join(directory, "fake-answers.jsonl"));
    expect(await stages.runIds({}, 1)).toEqual(["fake#1"]);

    await stages.generate(context);
    expect(seen.generate).toMatchObject({
      out: join(directory, "fake-answers.jsonl"),
      generator: "ablation-fake",
      concurrency: 2,
    });
    expect(answered).toEqual([
      { text: "question fake#1", temperature: 0.3 },
      { text: "question fake#2", temperature: 0.3 },
    ]);
    expect(recorded.map(([id, budget]) => [id, budget.inputTokens])).toEqual([
      ["fake#1", 1],
      ["fake#2", 2],
    ]);

    await stages.judge(context);
    expect(seen.judge).toMatchObject({
      answers: join(directory, "fake-answers.jsonl"),
      out: join(directory, "fake-judgments.jsonl"),
      judge,
      cache: context.judgeCache,
      // No instance limit: every instance of the data, however many answers the file holds.
      instanceLimit: Number.POSITIVE_INFINITY,
    });

    expect(await stages.score({ ...context, stage: { maxInstances: 1 } })).toEqual({
      value: 1,
      details: {},
      judged: 2,
    });
    expect(seen.score).toEqual({
      judgments: join(directory, "fake-judgments.jsonl"),
      data: {},
      instanceLimit: 1,
      generator: "ablation-fake",
    });
  });
});
