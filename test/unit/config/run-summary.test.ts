import { describe, expect, it } from "vitest";
import { formatRunSummary } from "../../../src/cli/format-run-summary.js";
import { summarizeRun } from "../../../src/config/run-summary.js";
import { parseMoaConfig, type PriceRow, type Proposal } from "../../../src/index.js";

const config = parseMoaConfig(
  {
    proposers: ["together:Qwen/Qwen1.5-72B-Chat", "openai:mystery"],
    aggregator: "openai:gpt-4o",
    layers: 2,
  },
  "test",
);

const prices: PriceRow[] = [
  {
    provider: "together",
    model: "Qwen/Qwen1.5-72B-Chat",
    inputPerMillion: 1,
    outputPerMillion: 2,
    source: "test",
    date: "2024-01-01",
  },
  {
    provider: "openai",
    model: "gpt-4o",
    inputPerMillion: 5,
    outputPerMillion: 15,
    source: "test",
    date: "2024-01-01",
  },
];

const proposals: Proposal[] = [
  {
    layer: 1,
    proposerId: "Qwen/Qwen1.5-72B-Chat",
    proposerIndex: 0,
    sample: 0,
    status: "ok",
    content: "a",
    usage: { inputTokens: 1_000_000, outputTokens: 500_000 },
    latencyMs: 1200,
  },
  {
    layer: 1,
    proposerId: "mystery",
    proposerIndex: 1,
    sample: 0,
    status: "error",
    content: "",
    error: "HTTP 500",
    latencyMs: 30,
  },
];

describe("summarizeRun", () => {
  const summary = summarizeRun(
    {
      proposals,
      aggregation: {
        mode: "synthesize",
        aggregatorId: "gpt-4o",
        references: 1,
        usage: { inputTokens: 1000, outputTokens: 100 },
        latencyMs: 900,
      },
      usage: { inputTokens: 1_001_000, outputTokens: 500_100 },
    },
    config,
    prices,
    2500,
  );

  it("prices each call from its row and sums the known costs", () => {
    expect(summary.rows[0]!.costUsd).toBeCloseTo(1 + 1, 10);
    expect(summary.rows[2]!.costUsd).toBeCloseTo((1000 * 5 + 100 * 15) / 1e6, 12);
    expect(summary.costUsd).toBeCloseTo(2 + 0.0065, 10);
  });

  it("leaves failed calls without usage unpriced and never guesses a price", () => {
    expect(summary.rows[1]!.costUsd).toBeUndefined();
    expect(summary.unpricedModels).toEqual([]);
    const unknown = summarizeRun(
      {
        proposals: [
          {
            ...proposals[1]!,
            status: "ok",
            content: "x",
            usage: { inputTokens: 10, outputTokens: 10 },
          },
        ],
      },
      config,
      prices,
      1,
    );
    expect(unknown.unpricedModels).toEqual(["openai:mystery"]);
    expect(unknown.costUsd).toBe(0);
  });

  it("adds the final call as the last row at the last layer", () => {
    expect(summary.rows.at(-1)).toMatchObject({
      layer: 2,
      role: "aggregator",
      proposerId: "gpt-4o",
    });
  });

  it("formats a table with every call and the totals", () => {
    const text = formatRunSummary(summary);
    expect(text).toContain("Qwen/Qwen1.5-72B-Chat");
    expect(text).toContain("error: HTTP 500");
    expect(text).toContain("aggregator");
    expect(text).toMatch(/tokens: 1001000 in \/ 500100 out/);
    expect(text).toMatch(/calls: 3 \(1 failed\)/);
    expect(text).toMatch(/wall time: 2\.50 s/);
  });

  it("prices local: models at $0 and says why in the totals", () => {
    const localConfig = parseMoaConfig(
      { proposers: ["local:toy-alpha"], aggregator: "local:toy-alpha", layers: 2 },
      "test",
    );
    const local = summarizeRun(
      {
        proposals: [
          {
            ...proposals[0]!,
            proposerId: "toy-alpha",
            usage: { inputTokens: 10, outputTokens: 10 },
          },
        ],
      },
      localConfig,
      prices,
      1,
    );
    expect(local).toMatchObject({
      costUsd: 0,
      unpricedModels: [],
      localModels: ["local:toy-alpha"],
    });
    expect(formatRunSummary(local)).toMatch(
      /cost: \$0\.00000 \(local:toy-alpha priced at \$0 because they run on your machine\)/,
    );
  });
});

describe("the LLM-ranker in the run summary", () => {
  const rankConfig = { ...config, aggregation: "rank" as const };
  const proposal: Proposal = {
    layer: 1,
    proposerId: "Qwen/Qwen1.5-72B-Chat",
    proposerIndex: 0,
    sample: 0,
    status: "ok",
    content: "an answer",
    usage: { inputTokens: 10, outputTokens: 5 },
  };
  const ranked = (fallback: boolean) =>
    summarizeRun(
      {
        proposals: [proposal],
        aggregation: {
          mode: "rank",
          aggregatorId: "gpt-4o",
          references: 1,
          usage: { inputTokens: 300, outputTokens: 12 },
          ranking: {
            choice: 1,
            proposerId: "Qwen/Qwen1.5-72B-Chat",
            sample: 0,
            fallback,
            replies: ["All are good.", "Still all good."],
            calls: [
              { modelId: "gpt-4o", usage: { inputTokens: 140, outputTokens: 4 }, latencyMs: 300 },
              { modelId: "gpt-4o", usage: { inputTokens: 160, outputTokens: 8 }, latencyMs: 500 },
            ],
          },
        },
      },
      rankConfig,
      prices,
      1,
    );

  it("shows the first try and the stricter retry as two rows", () => {
    const rows = ranked(true).rows.filter((row) => row.role === "ranker");
    expect(rows).toEqual([
      expect.objectContaining({ sample: 0, inputTokens: 140, outputTokens: 4, latencyMs: 300 }),
      expect.objectContaining({ sample: 1, inputTokens: 160, outputTokens: 8, latencyMs: 500 }),
    ]);
  });

  it("says under the table when the ranker fell back to the first proposal", () => {
    const text = formatRunSummary(ranked(true));
    expect(text).toMatch(
      /note: ranker fallback: no usable choice in 2 replies; the answer is the first successful proposal \(Qwen\/Qwen1\.5-72B-Chat #0\)/,
    );
    expect(formatRunSummary(ranked(false))).not.toMatch(/note:/);
  });

  it("says when the aggregator's fallback produced the answer", () => {
    const text = formatRunSummary(
      summarizeRun(
        {
          proposals: [proposal],
          aggregation: {
            mode: "synthesize",
            aggregatorId: "backup",
            references: 1,
            fallback: { reason: "aggregator gpt-4o: HTTP 500", used: "backup" },
          },
        },
        config,
        prices,
        1,
      ),
    );
    expect(text).toMatch(
      /note: aggregator failed \(aggregator gpt-4o: HTTP 500\); the answer came from the fallback: backup\./,
    );
  });
});
