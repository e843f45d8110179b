import { createHash } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BaseMessage } from "@langchain/core/messages";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { ParameterRow } from "../../../src/ablation/model-parameters.js";
import { RESULTS_CSV_COLUMNS } from "../../../src/ablation/results-table.js";
import {
  runAblationStudy,
  type RunAblationStudyParams,
} from "../../../src/ablation/run-ablation-study.js";
import type { AblationStudyResult } from "../../../src/ablation/study-result.js";
import { InvalidArgumentError } from "../../../src/errors/index.js";
import type { PriceRow } from "../../../src/models/price-table.js";
import { FakeChatModel, countReferences } from "../../../src/testing/index.js";

const MODELS = ["fake:a", "fake:b"];
const prices: PriceRow[] = MODELS.map((spec) => ({
  provider: "fake",
  model: spec.slice(5),
  inputPerMillion: 1,
  outputPerMillion: 2,
  source: "test prices",
  date: "2024-05-22",
}));
const parameters: ParameterRow[] = [
  { provider: "fake", model: "a", activeParametersB: 10, totalParametersB: 10, source: "test" },
  { provider: "fake", model: "b", activeParametersB: 20, totalParametersB: 40, source: "test" },
];

const text = (message: BaseMessage) => String(message.content);

/**
 * Models answer `<model> refs=<k> #<digest of the request>` (a function of the request, as a
 * model at temperature 0 would be); counts every call that reached a model.
 */
function fakes() {
  const counter = { calls: 0 };
  const loadModel: RunAblationStudyParams["loadModel"] = (spec, settings) => {
    const name = spec.slice(spec.indexOf(":") + 1);
    return new FakeChatModel({
      model: name,
      temperature: settings.temperature,
      maxTokens: settings.maxTokens,
      reply: ({ messages }) => {
        counter.calls += 1;
        const system = messages.find((message) => message.getType() === "system");
        const digest = createHash("sha256")
          .update(messages.map(text).join("\n"))
          .digest("hex")
          .slice(0, 8);
        return `${name} refs=${system ? countReferences(text(system)) : 0} #${digest}`;
      },
    });
  };
  // The MT-Bench judge rates the last answer it is shown: 2 + its number of references.
  const judge = new FakeChatModel({
    model: "judge",
    reply: ({ messages }) => {
      const refs = [...text(messages.at(-1)!).matchAll(/refs=(\d+)/g)].at(-1)?.[1] ?? "0";
      return `Fine. Rating: [[${Math.min(10, 2 + Number(refs))}]]`;
    },
  });
  return { counter, loadModel, judge };
}

let out: string;
let models: ReturnType<typeof fakes>;
let result: AblationStudyResult;

const study = (overrides: Partial<RunAblationStudyParams> = {}): RunAblationStudyParams => ({
  study: "layers",
  benchmark: "mt-bench",
  models: MODELS,
  out,
  loadModel: models.loadModel,
  judge: models.judge,
  judgeSpec: "fake:judge",
  prices,
  parameters,
  maxInstances: 2,
  concurrency: 2,
  ...overrides,
});

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "moa-ablation-"));
  models = fakes();
  result = await runAblationStudy(study());
});

describe("runAblationStudy (MT-Bench on fakes)", () => {
  it("runs, judges and scores every variant of the grid", () => {
    expect(result.variants.map((variant) => variant.variant.id)).toEqual(["l1", "l2", "l3"]);
    // The aggregator of layer L saw the answers of layer L−1: 0, 2 and 2 references.
    expect(result.variants.map((variant) => variant.score?.value)).toEqual([2, 4, 4]);
    expect(result.variants.every((variant) => variant.score?.judged === 4)).toBe(true);
    expect(
      result.variants.every((variant) => variant.failures === 0 && variant.missingRuns === 0),
    ).toBe(true);
  });

  it("makes identical calls once: layer-1 proposals and equal aggregator prompts are shared", () => {
    // Per question, turn 1: l1 1 call; l2 3 calls (a reused from l1); l3 5 calls (a, b and the
    // layer-2 call of a, identical to l2's aggregator call, reused). Turn 2 histories differ.
    expect(result.cache).toMatchObject({ calls: 36, hits: 8, misses: 28 });
    expect(models.counter.calls).toBe(28);
    expect(
      result.variants.map((variant) => [variant.budget.cachedCalls, variant.budget.calls]),
    ).toEqual([
      [0, 4],
      [2, 12],
      [6, 20],
    ]);
    expect(result.sharing).toEqual({ calls: 36, cachedCalls: 8, rate: 8 / 36 });
  });

  it("accounts tokens, cost, TFLOPs and latency per query from the call log", () => {
    const [l1, , l3] = result.variants;
    expect(l1!.budget.runs).toBe(4);
    expect(l1!.budget.layers).toHaveLength(1);
    expect(l3!.budget.layers.map((layer) => [layer.layer, layer.role, layer.calls])).toEqual([
      [1, "proposer", 2],
      [2, "proposer", 2],
      [3, "aggregator", 1],
    ]);
    for (const variant of result.variants) {
      const { budget } = variant;
      expect(budget.meanCostUsd).toBeCloseTo(
        (budget.inputTokens * 1 + budget.outputTokens * 2) / 1e6 / 4,
        12,
      );
      expect(budget.meanTflops).toBeGreaterThan(0);
      expect(budget.unpriced).toEqual([]);
    }
    // TFLOPs of a layer are its largest call: b (20B) outweighs a (10B) in layer 1.
    expect(l3!.budget.layers[0]!.tflops).toBeGreaterThan(0);
  });

  it("writes the table (Markdown and CSV), the JSON result and both plots", async () => {
    const markdown = await readFile(join(out, "results.md"), "utf8");
    for (const id of ["l1", "l2", "l3"]) expect(markdown).toContain(`| \`${id}\` |`);
    expect(markdown).toContain("cache hit rate 22.2%");
    expect(markdown).toContain("test prices");
    const rows = parse(await readFile(join(out, "results.csv"), "utf8"), {
      columns: true,
    }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...RESULTS_CSV_COLUMNS]);
    expect(rows.map((row) => [row.variant, row.score])).toEqual([
      ["l1", "2"],
      ["l2", "4"],
      ["l3", "4"],
    ]);
    const json = JSON.parse(await readFile(join(out, "study.json"), "utf8"));
    expect(json.variants).toHaveLength(3);
    expect(result.files.costPlot?.points).toBe(3);
    expect(result.files.tflopsPlot?.points).toBe(3);
    expect((await readFile(result.files.costPlot!.png)).subarray(1, 4).toString()).toBe("PNG");
    expect(await readFile(result.files.tflopsPlot!.svg, "utf8")).toMatch(/^<svg/);
  });

  it("compares every variant with the first on the same instances, in results.md", async () => {
    // l1 rates 2 on every turn, l2 and l3 rate 4: +2 on each of the 4 pairs.
    expect(result.comparisons).toMatchObject({
      reference: "l1",
      instanceScore: "judge rating of one turn (1–10)",
      resamples: 10_000,
    });
    expect(result.comparisons!.comparisons).toEqual(
      ["l2", "l3"].map((variant) => ({
        variant,
        pairs: 4,
        difference: 2,
        low: 2,
        high: 2,
        pValue: 2 / 10_001,
        // 4 wins of 4: 2 · 1 / 16.
        signTest: { wins: 4, losses: 0, ties: 0, pValue: 0.125 },
      })),
    );
    const markdown = await readFile(join(out, "results.md"), "utf8");
    expect(markdown).toContain("## Paired comparisons against `l1`");
    expect(markdown).toContain(
      "| `l2` | 4 | +2.00 | [+2.00, +2.00] | < 0.001 | 4 / 0 / 0 | 0.125 |",
    );
    expect(markdown).toContain(
      "| `l3` | 4 | +2.00 | [+2.00, +2.00] | < 0.001 | 4 / 0 / 0 | 0.125 |",
    );
  });

  it("resumes without a single model call and reproduces the results", async () => {
    const before = models.counter.calls;
    const again = await runAblationStudy(study());
    expect(models.counter.calls).toBe(before);
    expect(again.cache.calls).toBe(0);
    expect(again.sharing).toEqual(result.sharing);
    expect(again.variants.map((variant) => variant.score?.value)).toEqual([2, 4, 4]);
  });

  it("refuses a directory that holds another configuration of a variant", async () => {
    await expect(runAblationStudy(study({ models: ["fake:b", "fake:a"] }))).rejects.toSatisfy(
      (error: unknown) => InvalidArgumentError.isInstance(error) && error.parameter === "out",
    );
  });

  it("checks its arguments before any work", async () => {
    await expect(runAblationStudy(study({ benchmark: "mmlu" as never }))).rejects.toThrow(
      /benchmark/,
    );
    await expect(runAblationStudy(study({ benchmark: "flask" }))).rejects.toThrow(/data\.flask/);
    await expect(runAblationStudy(study({ judge: {} as never }))).rejects.toThrow(/judge/);
  });
});
