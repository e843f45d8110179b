// A full small ablation study on the loopback simulator, through the real `moa ablate` CLI and
// the real HTTP client: 3 models, 3 AlpacaEval instructions, a deterministic simulated judge.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunBudgetAnalysis } from "../../src/ablation/budget-analysis.js";
import { PNG_SCALE } from "../../src/ablation/score-plot.js";
import { simulatedStudyBehaviour } from "../../src/testing/simulated-study.js";
import type { AblationStudyResult } from "../../src/ablation/study-result.js";
import type { CliIo } from "../../src/cli/cli-io.js";
import { decodePng, distinctColours } from "../unit/ablation/decode-png.js";
import { runCli } from "../../src/cli/main.js";
import {
  startSimulator,
  type Simulator,
  type SimulatorRequestLogEntry,
} from "../../src/testing/simulator/index.js";

const MODELS = [
  "together:Qwen/Qwen1.5-110B-Chat",
  "together:Qwen/Qwen1.5-72B-Chat",
  "together:meta-llama/Llama-3-70b-chat-hf",
];
const RANKER_VARIANTS = ["alone", "aggregator-l2", "ranker-l2", "aggregator-l3", "ranker-l3"];
const PROPOSER_VARIANTS = ["n1", "multi-n2", "single-n2", "multi-n3", "single-n3"];

let simulator: Simulator;
let dir: string;
let env: Record<string, string>;

async function moa(argv: string[], environment: Record<string, string> = env) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    env: environment,
    color: false,
    exitCode: 0,
  };
  const code = await runCli(argv, io);
  return { code, out: out.join(""), err: err.join("") };
}

/** Requests for proposers, aggregators and the ranker (not the judge, which asks for logprobs). */
const modelRequests = (log: readonly SimulatorRequestLogEntry[]) =>
  log.filter((entry) => entry.path === "/v1/chat/completions" && entry.body?.logprobs !== true);

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  expect(bytes.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg)!;
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Symbols drawn by the point layer of the Vega SVG (one per variant). */
function pointSymbols(svg: string): number {
  const group = /<g class="mark-symbol role-mark points_marks"[^>]*>([\s\S]*?)<\/g>/.exec(svg);
  return group ? (group[1]!.match(/<path /g) ?? []).length : 0;
}

async function runsOf(directory: string, variant: string): Promise<RunBudgetAnalysis[]> {
  const text = await readFile(join(directory, "variants", variant, "runs.jsonl"), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => (JSON.parse(line) as { budget: RunBudgetAnalysis }).budget);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "moa-ablation-int-"));
  simulator = await startSimulator({
    defaultModel: simulatedStudyBehaviour({
      latencyMs: { distribution: "uniform", min: 2, max: 12 },
    }),
  });
  const base = `${simulator.url}/v1`;
  env = {
    TOGETHER_BASE_URL: base,
    TOGETHER_API_KEY: "sk-test",
    OPENAI_BASE_URL: base,
    OPENAI_API_KEY: "sk-test",
  };
});

afterAll(async () => {
  await simulator?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("moa ablate: the ranker study on the loopback simulator", () => {
  const out = () => join(dir, "ranker");
  let result: AblationStudyResult;
  let requests: SimulatorRequestLogEntry[];
  let seconds: number;

  beforeAll(async () => {
    simulator.reset();
    const started = performance.now();
    const run = await moa([
      "ablate",
      "--study",
      "ranker",
      "--benchmark",
      "alpaca-eval",
      "--models",
      MODELS.join(","),
      "--max-instances",
      "3",
      "--concurrency",
      "3",
      "--out",
      out(),
      "--json",
    ]);
    seconds = (performance.now() - started) / 1000;
    expect(run.err).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    result = JSON.parse(run.out) as AblationStudyResult;
    requests = [...simulator.requests];
  });

  it("runs the complete variant grid, each scored next to its budget", () => {
    expect(result.variants.map((variant) => variant.variant.id)).toEqual(RANKER_VARIANTS);
    for (const variant of result.variants) {
      expect(Number.isFinite(variant.score?.value)).toBe(true);
      expect(variant.score?.judged).toBe(3);
      expect(variant.budget.runs).toBe(3);
      expect(variant.budget.meanCostUsd).toBeGreaterThan(0);
      expect(variant.budget.meanTflops).toBeGreaterThan(0);
      expect(variant.budget.meanCriticalPathMs).toBeGreaterThan(0);
      expect(variant.failures).toBe(0);
    }
    // The simulated judge is deterministic: synthesizing over 3 references beats answering alone.
    const score = (id: string) =>
      result.variants.find((variant) => variant.variant.id === id)!.score!.value;
    expect(score("aggregator-l2")).toBeGreaterThan(score("alone"));
    expect(score("aggregator-l2")).toBeGreaterThan(score("ranker-l2"));
    // 3 models: only "Qwen1.5-110B alone" has a published figure (Table 2a).
    expect(result.variants[0]!.paper?.value).toBe(43.9);
    expect(seconds).toBeLessThan(90);
  });

  it("makes every distinct call once: requests equal cache misses, and no request repeats", () => {
    const made = modelRequests(requests);
    expect(made).toHaveLength(result.cache.misses);
    expect(result.cache.hits).toBeGreaterThan(0);
    expect(result.cache.calls).toBe(result.cache.hits + result.cache.misses);
    const identities = made.map((entry) =>
      JSON.stringify([
        entry.body!.model,
        entry.body!.messages,
        entry.body!.temperature,
        entry.body!.max_tokens,
      ]),
    );
    expect(new Set(identities).size).toBe(identities.length);
    expect(result.sharing.calls).toBe(result.cache.calls);
    expect(result.sharing.cachedCalls).toBe(result.cache.hits);
  });

  it("shares each layer-1 call among every variant that makes it", async () => {
    const runs = (
      await Promise.all(RANKER_VARIANTS.map((variant) => runsOf(out(), variant)))
    ).flat();
    for (const model of MODELS) {
      // Layer 1 reads the plain instruction: the proposals of the four variants with proposers,
      // and for Qwen1.5-110B also the `alone` variant's answer (the same request).
      const uses = runs.flatMap((run) =>
        run.calls.filter((call) => call.layer === 1 && call.modelId === model),
      );
      expect(uses).toHaveLength(model === MODELS[0] ? 15 : 12);
      expect(uses.filter((call) => !call.cached)).toHaveLength(3);
      const requested = modelRequests(requests).filter(
        (entry) =>
          entry.model === model.slice(model.indexOf(":") + 1) &&
          (entry.body!.messages as { role: string }[]).every((message) => message.role === "user"),
      );
      expect(requested).toHaveLength(3);
    }
  });

  it("writes the results table in Markdown and CSV with every variant and the cache hit rate", async () => {
    const markdown = await readFile(join(out(), "results.md"), "utf8");
    for (const id of RANKER_VARIANTS) expect(markdown).toContain(`| \`${id}\` |`);
    expect(markdown).toMatch(/cache hit rate \d+\.\d%/);
    expect(markdown).toContain("43.9 · Table 2a");
    expect(markdown).toContain("## Per-layer budget");
    expect(markdown).toContain("2024-05-22");
    const rows = parse(await readFile(join(out(), "results.csv"), "utf8"), {
      columns: true,
    }) as Record<string, string>[];
    expect(rows.map((row) => row.variant)).toEqual(RANKER_VARIANTS);
    for (const row of rows) {
      for (const column of [
        "score",
        "cost_per_query_usd",
        "tflops_per_query",
        "critical_path_s_per_query",
        "generation_wall_s",
        "tokens_per_query",
      ]) {
        expect(Number.isFinite(Number(row[column])) && row[column] !== "").toBe(true);
      }
    }
  });

  it.each(["score-vs-cost", "score-vs-tflops"])(
    "draws %s as an SVG and a PNG of the right size with one point per variant",
    async (name) => {
      const svg = await readFile(join(out(), `${name}.svg`), "utf8");
      const png = await readFile(join(out(), `${name}.png`));
      const size = svgSize(svg);
      const expected = {
        width: Math.round(size.width * PNG_SCALE),
        height: Math.round(size.height * PNG_SCALE),
      };
      expect(pngSize(png)).toEqual(expected);
      // The PNG decodes (CRCs, inflated data, filters) to an image of that size with content.
      const image = decodePng(png);
      expect({ width: image.width, height: image.height }).toEqual(expected);
      expect(distinctColours(image)).toBeGreaterThan(8);
      expect(pointSymbols(svg)).toBe(RANKER_VARIANTS.length);
      for (const id of RANKER_VARIANTS) expect(svg).toContain(`>${id}<`);
    },
  );
});

describe("moa ablate: studies sharing one call cache", () => {
  it("reuses the ranker study's calls in the proposers study and makes only the new ones", async () => {
    const cache = join(dir, "ranker", "call-cache.jsonl");
    expect(existsSync(cache)).toBe(true);
    simulator.reset();
    const run = await moa([
      "ablate",
      "--study",
      "proposers",
      "--benchmark",
      "alpaca-eval",
      "--models",
      MODELS.join(","),
      "--max-instances",
      "3",
      "--cache",
      cache,
      "--out",
      join(dir, "proposers"),
      "--json",
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as AblationStudyResult;
    expect(result.variants.map((variant) => variant.variant.id)).toEqual(PROPOSER_VARIANTS);
    expect(modelRequests(simulator.requests)).toHaveLength(result.cache.misses);
    // `multi-n3` is the ranker study's `aggregator-l2`: every one of its calls was already made.
    const multi = result.variants.find((variant) => variant.variant.id === "multi-n3")!;
    expect(multi.budget.cachedCalls).toBe(multi.budget.calls);
    // Different models beat one model sampled as often (the simulated judge rewards diversity).
    const score = (id: string) =>
      result.variants.find((variant) => variant.variant.id === id)!.score!.value;
    expect(score("multi-n3")).toBeGreaterThan(score("single-n3"));
  });
});

describe("moa ablate --simulate", () => {
  it("runs a study offline on its own simulator and says the numbers are synthetic", async () => {
    const out = join(dir, "simulated");
    const run = await moa(
      [
        "ablate",
        "--study",
        "layers",
        "--benchmark",
        "alpaca-eval",
        "--models",
        MODELS.slice(0, 2).join(","),
        "--max-instances",
        "2",
        "--simulate",
        "--out",
        out,
      ],
      {},
    );
    expect(run.code).toBe(0);
    expect(run.err).toContain("SIMULATED ablation study");
    expect(run.out).toMatch(/SIMULATED layers study on alpaca-eval \(3 variants, 2 instances each/);
    expect(run.out).toMatch(/cache: \d+ of \d+ proposer\/aggregator calls/);
    expect(await readFile(join(out, "results.md"), "utf8")).toContain("**SIMULATED**");
    for (const file of ["results.csv", "study.json", "score-vs-cost.png", "score-vs-tflops.svg"]) {
      expect(existsSync(join(out, file))).toBe(true);
    }
  });
});
