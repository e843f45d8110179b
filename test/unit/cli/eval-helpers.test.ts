import { describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/cli/cli-io.js";
import { defaultGeneratorName } from "../../../src/cli/eval-command.js";
import { judgeCostOf, loadJudge, OFFICIAL_JUDGES } from "../../../src/cli/eval-judges.js";
import { integerFlag, judgeCachePath } from "../../../src/cli/eval-options.js";
import {
  createProgressReporter,
  describeProgress,
  formatDuration,
} from "../../../src/cli/eval-progress.js";
import {
  SIMULATED_JUDGE_LABEL,
  simulatedJudgeBehaviour,
} from "../../../src/cli/eval-simulated-judges.js";
import { parseMoaConfig } from "../../../src/config/moa-config.js";
import { probabilityOfNumerator } from "../../../src/eval/alpaca-eval/logprob-parser.js";
import {
  buildFlaskJudgeRequest,
  loadFlaskJudgePrompt,
} from "../../../src/eval/flask/judge-prompt.js";
import { parseFlaskScores } from "../../../src/eval/flask/score-parser.js";
import { loadFlaskSkills } from "../../../src/eval/flask/skills.js";
import { parseMtBenchScore } from "../../../src/eval/mt-bench/score-parser.js";
import type { StageProgress } from "../../../src/eval/stages/stage-progress.js";
import type { SimulatorRequestInfo } from "../../../src/testing/simulator/index.js";
import { sharedDataPath } from "../eval/shared-data.js";

const ENV = { OPENAI_API_KEY: "sk-test" };

function request(messages: { role: string; content: string }[]): SimulatorRequestInfo {
  return {
    model: "judge",
    callIndex: 0,
    messages,
    lastUserMessage: messages.at(-1)?.content ?? "",
    references: 0,
    turns: 1,
    stream: false,
    promptTokens: 10,
    body: {},
  };
}

function replyOf(
  behaviour: ReturnType<typeof simulatedJudgeBehaviour>,
  info: SimulatorRequestInfo,
): string {
  return typeof behaviour.reply === "function" ? behaviour.reply(info) : String(behaviour.reply);
}

describe("loadJudge", () => {
  it("builds the AlpacaEval 2.0 judge with one token, temperature 1 and the top 5 logprobs", () => {
    const judge = loadJudge(
      "alpaca-eval",
      OFFICIAL_JUDGES["alpaca-eval"],
      ENV,
    ) as unknown as Record<string, unknown>;
    expect(judge).toMatchObject({
      model: "gpt-4-1106-preview",
      temperature: 1,
      maxTokens: 1,
      logprobs: true,
      topLogprobs: 5,
    });
  });

  it.each([
    ["mt-bench", "gpt-4", 0, 2048],
    ["flask", "gpt-4-0613", 0, 1024],
  ] as const)(
    "builds the %s judge (%s) with temperature %d and %d tokens",
    (benchmark, model, temperature, maxTokens) => {
      const judge = loadJudge(benchmark, OFFICIAL_JUDGES[benchmark], ENV) as unknown as Record<
        string,
        unknown
      >;
      expect(judge).toMatchObject({ model, temperature, maxTokens });
      expect(judge.logprobs).toBeFalsy();
    },
  );

  it("keeps the official settings for any other OpenAI-compatible judge", () => {
    const judge = loadJudge("alpaca-eval", "together:meta-llama/Llama-3-70b-chat-hf", {
      TOGETHER_API_KEY: "x",
    }) as unknown as Record<string, unknown>;
    expect(judge).toMatchObject({
      model: "meta-llama/Llama-3-70b-chat-hf",
      logprobs: true,
      topLogprobs: 5,
      maxTokens: 1,
    });
  });

  it("prices judge usage at list prices, and unknown models at 0", () => {
    expect(judgeCostOf("openai:gpt-4")({ inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(
      30,
      6,
    );
    expect(
      judgeCostOf("openai:my-judge")({ inputTokens: 1_000_000, outputTokens: 1_000_000 }),
    ).toBe(0);
  });
});

describe("simulated judges", () => {
  it("scripts AlpacaEval logprobs over m and M that the official parser reads", () => {
    const behaviour = simulatedJudgeBehaviour("alpaca-eval");
    const probabilities = ["a", "b", "c", "d"].map((text) => {
      const info = request([{ role: "user", content: text }]);
      const candidates = behaviour.logprobs!(info);
      const p = probabilityOfNumerator(candidates);
      expect(replyOf(behaviour, info)).toBe(p >= 0.5 ? "m" : "M");
      return p;
    });
    for (const p of probabilities) expect(p).toBeGreaterThanOrEqual(0.05 - 1e-12);
    for (const p of probabilities) expect(p).toBeLessThanOrEqual(0.95 + 1e-12);
    expect(new Set(probabilities).size).toBe(4);
  });

  it("ends MT-Bench replies with a rating FastChat's parser finds", () => {
    const behaviour = simulatedJudgeBehaviour("mt-bench");
    for (const text of ["a", "b", "c"]) {
      const reply = replyOf(behaviour, request([{ role: "user", content: text }]));
      expect(reply.startsWith(SIMULATED_JUDGE_LABEL)).toBe(true);
      const score = parseMtBenchScore(reply);
      expect(Number.isInteger(score) && score >= 1 && score <= 10).toBe(true);
    }
  });

  it("ends FLASK replies with a dict of the prompt's three skills", async () => {
    const [skills, prompt] = await Promise.all([
      loadFlaskSkills(sharedDataPath("flask", "skillset_description.json")),
      loadFlaskJudgePrompt(sharedDataPath("flask", "judge_prompt.jsonl")),
    ]);
    const { messages } = buildFlaskJudgeRequest({
      instance: {
        idx: 1,
        instruction: "Rewrite it.",
        answer: "Done.",
        skill: ["Readability", "Logical Correctness", "Conciseness"],
      },
      response: "Done!",
      skills,
      prompt,
    });
    const reply = replyOf(simulatedJudgeBehaviour("flask"), request(messages));
    const scores = parseFlaskScores(reply);
    expect(Object.keys(scores).sort()).toEqual([
      "conciseness",
      "logical correctness",
      "readability",
    ]);
    for (const value of Object.values(scores)) expect([1, 2, 3, 4, 5]).toContain(value);
  });
});

describe("eval option helpers", () => {
  it.each([
    [undefined, undefined],
    ["0", 0],
    ["12", 12],
  ])("integerFlag(%j) is %j", (raw, expected) => {
    expect(integerFlag(raw, "--max-instances", 0)).toBe(expected);
  });

  it.each(["-1", "1.5", "", "ten"])("integerFlag(%j) is a usage error naming the flag", (raw) => {
    expect(() => integerFlag(raw, "--concurrency", 0)).toThrow(
      /--concurrency must be a whole number/,
    );
  });

  it("keeps the judgment cache beside --out, shared by every judgments file of the directory", () => {
    expect(judgeCachePath(undefined, "runs/alpaca/annotations.json")).toBe(
      "runs/alpaca/judge-cache.jsonl",
    );
    expect(judgeCachePath("cache.jsonl", "runs/x.json")).toBe("cache.jsonl");
    expect(judgeCachePath(false, "runs/x.json")).toBe(false);
  });

  it.each([
    [{ preset: "moa" }, {}, false, "moa"],
    [{ preset: "moa-lite" }, {}, true, "moa-lite-simulated"],
    [{ preset: "self-moa" }, {}, false, "moa-self-moa"],
    [{ preset: "moa", aggregator: "openai:x" }, { aggregator: "openai:x" }, false, "moa-custom"],
  ] as const)("names the generator of %j", (config, flags, simulated, name) => {
    expect(defaultGeneratorName(parseMoaConfig(config, "test"), simulated, flags)).toBe(name);
  });
});

describe("progress on stderr", () => {
  const progress = (fields: Partial<StageProgress>): StageProgress => ({
    stage: "mt-bench judge",
    total: 10,
    skipped: 0,
    succeeded: 0,
    failed: 0,
    running: 0,
    remaining: 10,
    cached: 0,
    elapsedMs: 0,
    etaMs: undefined,
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
    ...fields,
  });

  function capture(extra: Partial<CliIo & { stderrIsTTY: boolean }> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const value = {
      stdout: (text: string) => void out.push(text),
      stderr: (text: string) => void err.push(text),
      env: {},
      color: false,
      exitCode: 0,
      ...extra,
    };
    return { io: value as CliIo, out, err };
  }

  it("describes counts, ETA and running cost in one line", () => {
    expect(
      describeProgress(
        progress({
          skipped: 2,
          succeeded: 3,
          failed: 1,
          cached: 2,
          remaining: 4,
          etaMs: 130_000,
          costUsd: 0.42,
        }),
      ),
    ).toBe(
      "mt-bench judge: 6/10 done, 2 from earlier runs, 2 cached, 1 failed · ETA 2m 10s · $0.4200",
    );
  });

  it.each([
    [undefined, "?"],
    [12_400, "12s"],
    [185_000, "3m 05s"],
    [3_720_000, "1h 02m"],
  ])("formats %j ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("prints occasional plain lines when stderr is not a terminal, never on stdout", () => {
    const harness = capture();
    const reporter = createProgressReporter(harness.io);
    reporter.onProgress(progress({}));
    reporter.onProgress(progress({ running: 1 }));
    reporter.onProgress(progress({ succeeded: 1, remaining: 9, etaMs: 9000 }));
    reporter.onProgress(progress({ succeeded: 1, remaining: 9, etaMs: 9000, running: 1 }));
    reporter.onProgress(progress({ succeeded: 10, remaining: 0, etaMs: 0 }));
    reporter.stop();
    expect(harness.out).toEqual([]);
    expect(harness.err).toEqual([
      "mt-bench judge: 0/10 done · ETA ? · $0.0000\n",
      "mt-bench judge: 1/10 done · ETA 9s · $0.0000\n",
      "mt-bench judge: 10/10 done · $0.0000\n",
    ]);
  });

  it("draws a live bar with ETA and cost when stderr is a terminal", () => {
    const harness = capture({ stderrIsTTY: true });
    const reporter = createProgressReporter(harness.io);
    reporter.onProgress(progress({ succeeded: 4, remaining: 6, etaMs: 60_000, costUsd: 1.5 }));
    reporter.stop();
    const written = harness.err.join("");
    expect(written).toMatch(/mt-bench judge \[=+-+\] 4\/10 \| ETA 1m 00s \| \$1\.5000 \| 0 failed/);
    expect(harness.out).toEqual([]);
  });
});
