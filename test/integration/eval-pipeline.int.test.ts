import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAlpacaEvalLeaderboard } from "../../src/eval/alpaca-eval/leaderboard-files.js";
import {
  startSimulator,
  type Simulator,
  type SimulatorRequestInfo,
  type TokenCandidate,
} from "../../src/testing/simulator/index.js";
import { evalArgv, runCapturedCli } from "../support/cli-io.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const sharedData = (...segments: string[]) => resolve(repoRoot, "../shared/data", ...segments);
const vendored = (...segments: string[]) => resolve(repoRoot, "data", ...segments);

const MODELS = [
  "--proposers",
  "openai:p1,openai:p2",
  "--aggregator",
  "openai:agg",
  "--layers",
  "2",
];

// AlpacaEval: the judge's scripted top logprobs per eval-set position (the first three).
// P(m) = exp(m) / (exp(m) + exp(M)) over the two tokens; a missing token counts as −∞.
const SCRIPTED_LOGPROBS: TokenCandidate[][] = [
  [
    { token: "m", logprob: Math.log(0.9) },
    { token: "M", logprob: Math.log(0.1) },
  ],
  [
    { token: "M", logprob: Math.log(0.75) },
    { token: "m", logprob: Math.log(0.25) },
    { token: "x", logprob: -4 },
  ],
  [
    { token: "M", logprob: -0.05 },
    { token: "Model", logprob: -3 },
  ],
];
const SCRIPTED_P_OF_M = [0.9, 0.25, 0];

// FLASK: the fake judge scores each skill from a base score and the instance id.
const FLASK_BASE: Record<string, number> = {
  Readability: 4,
  "Logical Correctness": 1,
  Conciseness: 2,
  "Commonsense Understanding": 0,
  Comprehension: 3,
};
const flaskScore = (skill: string, idx: number) => (((FLASK_BASE[skill] ?? 0) + idx) % 5) + 1;

let sim: Simulator;
let dir: string;
let env: Record<string, string>;
let alpacaInstructions: string[];
let flaskInstances: { idx: number; instruction: string; skill: string[] }[];

/** Runs `moa <argv>` in-process against the simulator. */
const moa = (argv: string[]) => runCapturedCli(argv, env);

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));
const readJsonl = async (path: string) =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));

function lastUser(request: SimulatorRequestInfo): string {
  return request.messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "moa-eval-"));
  const evalSet = await readJson(vendored("alpaca_eval", "eval_set.gpt4_1106_preview.json"));
  alpacaInstructions = evalSet
    .slice(0, 3)
    .map((entry: { instruction: string }) => entry.instruction);
  flaskInstances = (await readJsonl(sharedData("flask", "flask_evaluation.jsonl"))).slice(0, 3);

  sim = await startSimulator({
    models: {
      "gpt-4-1106-preview": {
        reply: "m",
        logprobs: (request) => {
          const position = alpacaInstructions.findIndex((instruction) =>
            lastUser(request).includes(`"instruction": """${instruction}"""`),
          );
          if (position < 0) throw new Error("judge request for an unknown instruction");
          return SCRIPTED_LOGPROBS[position]!;
        },
      },
      "gpt-4": {
        // FastChat's multi-turn prompt shows the whole conversation; single-turn shows one answer.
        reply: (request) =>
          lastUser(request).includes("Assistant A's Conversation with User")
            ? "The follow-up is weaker. Rating: [[6]]"
            : "Accurate and helpful. Rating: [[8]]",
      },
      "gpt-4-0613": {
        reply: (request) => {
          const prompt = lastUser(request);
          const instance = flaskInstances.find((candidate) =>
            prompt.includes(`[Instruction]\n${candidate.instruction}\n`),
          );
          if (!instance) throw new Error("FLASK judge request for an unknown instance");
          const scores = instance.skill.map(
            (skill) => `'${skill}': ${flaskScore(skill, instance.idx)}`,
          );
          return `Feedback for each skill.\n\n{${scores.join(", ")}}`;
        },
      },
    },
  });
  env = { OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: "sk-test" };
});

afterAll(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("moa eval: AlpacaEval 2.0 generate → judge → report over loopback HTTP", () => {
  const outputs = () => join(dir, "alpaca", "model_outputs.json");
  const annotations = () => join(dir, "alpaca", "annotations.json");
  const generateAlpaca = (out: string) =>
    moa(evalArgv("generate", "alpaca-eval", ...MODELS, "--out", out, "--max-instances", "3"));
  const judgeAlpaca = (out: string) =>
    moa(evalArgv("judge", "alpaca-eval", "--answers", outputs(), "--out", out));

  it("generates three answers with the MoA graph of the model options", async () => {
    const result = await generateAlpaca(outputs());
    expect(result.code, result.err).toBe(0);
    const written = await readJson(outputs());
    expect(written.map((entry: { instruction: string }) => entry.instruction)).toEqual(
      alpacaInstructions,
    );
    expect(written.every((entry: { generator: string }) => entry.generator === "moa-custom")).toBe(
      true,
    );
    // One MoA run per instruction: two proposers, then the aggregator with their two answers.
    expect(sim.countRequests({ model: "p1" })).toBe(3);
    expect(sim.countRequests({ model: "agg" })).toBe(3);
    for (const entry of written)
      expect(entry.output).toMatch(/^\[sim:agg\] call=\d+ refs=2 turns=1/);
    expect(result.out).toMatch(/3 finished now, 0 from earlier runs, 0 failed/);
    expect(result.err).toMatch(/alpaca-eval generate: 3\/3 done/);
  });

  it("skips finished instructions on a rerun: no new requests", async () => {
    const before = sim.countRequests();
    const result = await generateAlpaca(outputs());
    expect(result.code, result.err).toBe(0);
    expect(sim.countRequests()).toBe(before);
    expect(result.out).toMatch(/0 finished now, 3 from earlier runs/);
  });

  it("judges with the logprob judge and reports what the scripted logprobs and switch flags give", async () => {
    const result = await judgeAlpaca(annotations());
    expect(result.code, result.err).toBe(0);
    // The official judge settings reach the wire.
    const judged = sim.requests.filter((request) => request.model === "gpt-4-1106-preview");
    expect(judged).toHaveLength(3);
    for (const request of judged) {
      expect(request.body).toMatchObject({ temperature: 1, logprobs: true, top_logprobs: 5 });
      expect(request.body?.max_tokens ?? request.body?.max_completion_tokens).toBe(1);
    }

    const switched: boolean[] = (
      await readJson(vendored("alpaca_eval", "is_switched_outputs.json"))
    ).is_switched_outputs;
    const expected = SCRIPTED_P_OF_M.map((p, position) =>
      switched[position] ? 3 - (2 - p) : 2 - p,
    );
    expect(new Set(expected).size).toBe(3);
    const written = await readJson(annotations());
    expect(written.map((annotation: { preference: number }) => annotation.preference)).toEqual(
      expected.map((value) => expect.closeTo(value, 12)),
    );

    const report = await moa(
      evalArgv("report", "alpaca-eval", "--judgments", annotations(), "--json"),
    );
    expect(report.code, report.err).toBe(0);
    const metrics = JSON.parse(report.out);
    const wins = expected.map((value) => value - 1);
    const mean = wins.reduce((sum, value) => sum + value, 0) / wins.length;
    const sd = Math.sqrt(
      wins.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (wins.length - 1),
    );
    expect(metrics.win_rate).toBeCloseTo(100 * mean, 9);
    expect(metrics.standard_error).toBeCloseTo((100 * sd) / Math.sqrt(3), 9);
    expect(metrics.n_wins).toBe(expected.filter((value) => value > 1.5).length);
    expect(metrics.n_wins_base).toBe(expected.filter((value) => value < 1.5).length);
    expect(metrics).toMatchObject({ n_draws: 0, n_total: 3 });
    expect(Object.keys(metrics).sort()).toEqual(
      [
        "avg_length",
        "discrete_win_rate",
        "lc_standard_error",
        "length_controlled_winrate",
        "n_draws",
        "n_total",
        "n_wins",
        "n_wins_base",
        "standard_error",
        "win_rate",
      ].sort(),
    );

    const text = await moa(evalArgv("report", "alpaca-eval", "--judgments", annotations()));
    expect(text.code).toBe(0);
    expect(text.out).toContain(`win rate`);
    expect(text.out).toContain((100 * mean).toFixed(2));
    expect(text.out).toContain("Together-MoA (leaderboard) 65.38 LC / 59.87 WR");
  });

  it("answers a judge rerun into a fresh file from the judgment cache, without judge requests", async () => {
    const before = sim.countRequests({ model: "gpt-4-1106-preview" });
    const fresh = join(dir, "alpaca", "annotations-again.json");
    const result = await judgeAlpaca(fresh);
    expect(result.code, result.err).toBe(0);
    expect(sim.countRequests({ model: "gpt-4-1106-preview" })).toBe(before);
    expect(result.out).toMatch(/3 from the judgment cache/);
    const again = await readJson(fresh);
    const first = await readJson(annotations());
    expect(again.map((row: { preference: number }) => row.preference)).toEqual(
      first.map((row: { preference: number }) => row.preference),
    );
  });

  it("records a failing instance, exits 1, and finishes it on the rerun", async () => {
    const out = join(dir, "alpaca-failing", "model_outputs.json");
    let failed = false;
    sim.setModel("agg", {
      // A non-retryable 400 on the aggregator of the second instruction, once.
      faults: (_call, request) => {
        if (failed || !lastUser(request).includes(alpacaInstructions[1]!)) return undefined;
        failed = true;
        return { kind: "status", status: 400, message: "scripted failure" };
      },
    });
    const first = await generateAlpaca(out);
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/1 instance\(s\) failed/);
    expect(first.err).toMatch(/Rerun the same command to retry them/);
    const errors = await readJsonl(`${out}.errors.jsonl`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ id: alpacaInstructions[1] });
    expect(errors[0].error).toMatch(/scripted failure/);
    expect(
      (await readJson(out)).map((entry: { instruction: string }) => entry.instruction),
    ).toEqual([alpacaInstructions[0], alpacaInstructions[2]]);

    const before = sim.countRequests({ model: "agg" });
    const second = await generateAlpaca(out);
    expect(second.code, second.err).toBe(0);
    expect(sim.countRequests({ model: "agg" })).toBe(before + 1);
    expect(existsSync(`${out}.errors.jsonl`)).toBe(false);
    expect(
      (await readJson(out)).map((entry: { instruction: string }) => entry.instruction),
    ).toEqual(alpacaInstructions);
  });
});

describe("moa eval: MT-Bench generate → judge → report", () => {
  const questions = () => join(dir, "mt-bench", "question.jsonl");
  const answers = () => join(dir, "mt-bench", "answers.jsonl");
  const judgments = () => join(dir, "mt-bench", "gpt-4_single.jsonl");
  const CATEGORY_TEMPERATURE: Record<string, number> = { writing: 0.7, math: 0, stem: 0.1 };

  it("runs MoA per turn with the aggregated turn-1 answer in the history and the category temperature", async () => {
    // One question each of writing (0.7), math (0.0, judged against the reference) and stem (0.1).
    const all = await readJsonl(vendored("mt_bench", "question.jsonl"));
    const picked = [81, 111, 141].map((id) =>
      all.find((question: { question_id: number }) => question.question_id === id),
    );
    await mkdir(dirname(questions()), { recursive: true });
    await writeFile(
      questions(),
      picked.map((question) => JSON.stringify(question)).join("\n") + "\n",
    );

    sim.reset();
    const result = await moa(
      evalArgv(
        "generate",
        "mt-bench",
        ...MODELS,
        "--data",
        questions(),
        "--out",
        answers(),
        "--max-instances",
        "3",
      ),
    );
    expect(result.code, result.err).toBe(0);
    const written = await readJsonl(answers());
    expect(written.map((answer: { question_id: number }) => answer.question_id)).toEqual([
      81, 111, 141,
    ]);

    for (const question of picked) {
      const answer = written.find(
        (candidate: { question_id: number }) => candidate.question_id === question.question_id,
      );
      const [turn1, turn2] = answer.choices[0].turns as string[];
      expect(turn2).toMatch(/^\[sim:agg\] .* turns=2 /);
      // Every call of turn 2 (both proposers and the aggregator) carries the aggregated turn-1 answer.
      const turn2Requests = sim.requests.filter((request) =>
        (request.body?.messages as { role: string; content: string }[]).some(
          (message) => message.role === "user" && message.content === question.turns[1],
        ),
      );
      expect(turn2Requests.map((request) => request.model).sort()).toEqual(["agg", "p1", "p2"]);
      for (const request of turn2Requests) {
        const messages = request.body?.messages as { role: string; content: string }[];
        const history = messages.filter((message) => message.role !== "system");
        expect(history.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
        expect(history[1]!.content).toBe(turn1);
        expect(request.body?.temperature).toBe(CATEGORY_TEMPERATURE[question.category]);
      }
    }
  });

  it("judges both turns and reports FastChat's averages", async () => {
    const judged = await moa(
      evalArgv(
        "judge",
        "mt-bench",
        "--answers",
        answers(),
        "--data",
        questions(),
        "--out",
        judgments(),
      ),
    );
    expect(judged.code, judged.err).toBe(0);
    const rows = await readJsonl(judgments());
    expect(rows).toHaveLength(6);
    expect(
      rows
        .filter((row: { turn: number }) => row.turn === 1)
        .every((row: { score: number }) => row.score === 8),
    ).toBe(true);
    expect(
      rows
        .filter((row: { turn: number }) => row.turn === 2)
        .every((row: { score: number }) => row.score === 6),
    ).toBe(true);

    const report = await moa(
      evalArgv("report", "mt-bench", "--judgments", judgments(), "--data", questions(), "--json"),
    );
    expect(report.code, report.err).toBe(0);
    expect(JSON.parse(report.out)).toEqual({
      model: "moa-custom",
      score: 7,
      turn1: 8,
      turn2: 6,
      by_category: { writing: 7, math: 7, stem: 7 },
      n_judgments: 6,
      n_dropped: 0,
      n_questions: 3,
      n_questions_total: 3,
    });
    const text = await moa(
      evalArgv("report", "mt-bench", "--judgments", judgments(), "--data", questions()),
    );
    expect(text.out).toMatch(/score \(both turns\)\s+│\s+7\.00/);
    expect(text.out).toContain("MoA 9.25 / 9.44 / 9.07");
    // Every question of the given set is judged on both turns: no subset note.
    expect(text.out).not.toContain("questions judged");
  });
});

describe("moa eval: FLASK generate → judge → report", () => {
  const data = sharedData("flask", "flask_evaluation.jsonl");
  const answers = () => join(dir, "flask", "answers.jsonl");
  const reviews = () => join(dir, "flask", "reviews.jsonl");

  it("averages the per-skill scores of the judge's dictionaries", async () => {
    const generated = await moa(
      evalArgv(
        "generate",
        "flask",
        ...MODELS,
        "--data",
        data,
        "--out",
        answers(),
        "--max-instances",
        "3",
      ),
    );
    expect(generated.code, generated.err).toBe(0);
    expect(
      (await readJsonl(answers())).map((answer: { question_id: number }) => answer.question_id),
    ).toEqual([1, 2, 3]);

    const prices = join(dir, "flask", "prices.json");
    await writeFile(
      prices,
      JSON.stringify([
        {
          provider: "openai",
          model: "gpt-4-0613",
          inputPerMillion: 2,
          outputPerMillion: 4,
          source: "test",
          date: "2024-01-01",
        },
      ]),
    );
    const judged = await moa(
      evalArgv(
        "judge",
        "flask",
        "--answers",
        answers(),
        "--data",
        data,
        "--out",
        reviews(),
        "--prices",
        prices,
        "--json",
      ),
    );
    expect(judged.code, judged.err).toBe(0);
    expect(sim.countRequests({ model: "gpt-4-0613" })).toBe(3);
    // The --json summary, priced with the --prices row instead of the built-in one.
    const summary = JSON.parse(judged.out);
    expect(summary).toMatchObject({
      stage: "flask judge",
      total: 3,
      succeeded: 3,
      failed: 0,
      failures: [],
    });
    expect(summary.usage.inputTokens).toBeGreaterThan(0);
    expect(summary.costUsd).toBeCloseTo(
      (summary.usage.inputTokens * 2 + summary.usage.outputTokens * 4) / 1e6,
      12,
    );

    const report = await moa(evalArgv("report", "flask", "--judgments", reviews(), "--json"));
    expect(report.code, report.err).toBe(0);
    const metrics = JSON.parse(report.out);
    // By hand: upstream keys a skill by its first word, or its second when it says "logical".
    const key = (skill: string) => {
      const words = skill.toLowerCase().split(" ");
      return skill.toLowerCase().includes("logical") ? words[1]! : words[0]!;
    };
    const expected: Record<string, { total: number; count: number }> = {};
    for (const instance of flaskInstances) {
      for (const skill of instance.skill) {
        const entry = (expected[key(skill)] ??= { total: 0, count: 0 });
        entry.total += flaskScore(skill, instance.idx);
        entry.count += 1;
      }
    }
    expect(Object.keys(metrics.skills).sort()).toEqual(Object.keys(expected).sort());
    for (const [skill, { total, count }] of Object.entries(expected)) {
      expect(metrics.skills[skill]).toEqual({ average: total / count, count, total });
    }
    expect(metrics).toMatchObject({ n_reviews: 3, n_irregular: 0, not_applicable: 0 });
  });
});

describe("moa eval report --annotations (official AlpacaEval files)", () => {
  it("re-scores claude-2.1.annotations.json to the leaderboard row", async () => {
    const file = sharedData("alpaca_eval", "annotations", "claude-2.1.annotations.json");
    const result = await moa(evalArgv("report", "alpaca-eval", "--annotations", file, "--json"));
    expect(result.code, result.err).toBe(0);
    const report = JSON.parse(result.out);
    const leaderboard = await readAlpacaEvalLeaderboard(
      sharedData("alpaca_eval", "leaderboard.weighted_alpaca_eval_gpt4_turbo.csv"),
    );
    const official = leaderboard.get("claude-2.1")!;
    expect(Math.abs(report.win_rate - official.win_rate)).toBeLessThan(1e-6);
    expect(Math.abs(report.standard_error - official.standard_error)).toBeLessThan(1e-6);
    expect(Math.abs(report.discrete_win_rate - official.discrete_win_rate)).toBeLessThan(1e-6);
    expect([
      report.n_wins,
      report.n_wins_base,
      report.n_draws,
      report.n_total,
      report.avg_length,
    ]).toEqual([
      official.n_wins,
      official.n_wins_base,
      official.n_draws,
      official.n_total,
      official.avg_length,
    ]);
    // The LC win rate is refitted from the annotations (C chosen by cross-validation).
    expect(
      Math.abs(report.length_controlled_winrate - official.length_controlled_winrate),
    ).toBeLessThan(0.01);
  });
});

describe("moa eval --simulate (no endpoint at all)", () => {
  it.each(["alpaca-eval", "mt-bench", "flask"])(
    "runs %s end to end and labels it synthetic",
    async (benchmark) => {
      const base = join(dir, "simulated", benchmark);
      const data =
        benchmark === "flask" ? ["--data", sharedData("flask", "flask_evaluation.jsonl")] : [];
      const generated = await runCapturedCli(
        evalArgv(
          "generate",
          benchmark,
          "--simulate",
          "--preset",
          "moa-lite",
          ...data,
          "--out",
          `${base}/answers`,
          "--max-instances",
          "2",
        ),
      );
      expect(generated.code, generated.err).toBe(0);
      expect(generated.err).toMatch(/SIMULATED/);
      const judged = await runCapturedCli(
        evalArgv(
          "judge",
          benchmark,
          "--simulate",
          ...data,
          "--answers",
          `${base}/answers`,
          "--out",
          `${base}/judgments`,
        ),
      );
      expect(judged.code, judged.err).toBe(0);
      expect(judged.err).toMatch(/SIMULATED .* judgments: synthetic/);
      const report = await runCapturedCli(
        evalArgv("report", benchmark, "--judgments", `${base}/judgments`, "--json"),
      );
      expect(report.code, report.err).toBe(0);
      expect(() => JSON.parse(report.out)).not.toThrow();
    },
  );
});
