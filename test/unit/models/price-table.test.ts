import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { configToParams } from "../../../src/config/config-to-params.js";
import { parseMoaConfig } from "../../../src/config/moa-config.js";
import {
  DEFAULT_PRICES,
  LOCAL_PRICE_SOURCE,
  findPrice,
  priceTokens,
} from "../../../src/models/price-table.js";
import { PAPER_PROPOSERS } from "../../../src/presets/presets.js";
import { FakeChatModel } from "../../../src/testing/index.js";

const SOURCE = join(import.meta.dirname, "..", "..", "..", "src");

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(folder, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(folder, entry.name)]
        : [],
  );
}

describe("DEFAULT_PRICES", () => {
  it("names a source URL and an ISO date on every row", () => {
    for (const row of DEFAULT_PRICES) {
      expect(row.source, `${row.provider}:${row.model}`).toMatch(/^https:\/\//);
      expect(row.date, `${row.provider}:${row.model}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("keeps the paper's Together rows of 2024-05-22 (the budget analysis depends on them)", () => {
    for (const spec of PAPER_PROPOSERS) {
      expect(findPrice(spec), spec).toMatchObject({ provider: "together", date: "2024-05-22" });
    }
    expect(findPrice("together:Qwen/Qwen1.5-110B-Chat")).toMatchObject({
      inputPerMillion: 1.8,
      outputPerMillion: 1.8,
    });
  });

  it.each([
    "openai:gpt-5",
    "openai:gpt-5-mini",
    "openai:gpt-4.1",
    "openai:gpt-4.1-mini",
    "openai:gpt-4o-mini",
    "openai:o4-mini",
    "together:meta-llama/Llama-3.3-70B-Instruct-Turbo",
    "together:Qwen/Qwen2.5-72B-Instruct-Turbo",
    "together:deepseek-ai/DeepSeek-V3",
    "together:openai/gpt-oss-120b",
    "groq:llama-3.3-70b-versatile",
    "groq:llama-3.1-8b-instant",
    "groq:openai/gpt-oss-120b",
    "groq:qwen/qwen3-32b",
  ])("prices the current model %s", (spec) => {
    const row = findPrice(spec);
    expect(row).toBeDefined();
    expect(row!.inputPerMillion).toBeGreaterThan(0);
    expect(row!.outputPerMillion).toBeGreaterThanOrEqual(row!.inputPerMillion);
  });

  it("has one row per provider and model (the first match would hide a second)", () => {
    const keys = DEFAULT_PRICES.map((row) => `${row.provider}:${row.model}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("findPrice for models on the user's machine", () => {
  it.each(["local:qwen2.5-0.5b-instruct-q4_k_m", "local:/models/x.gguf", "ollama:llama3.2"])(
    "prices %s at $0 and says why",
    (spec) => {
      expect(findPrice(spec)).toMatchObject({
        inputPerMillion: 0,
        outputPerMillion: 0,
        source: LOCAL_PRICE_SOURCE,
      });
      expect(LOCAL_PRICE_SOURCE).toMatch(/\$0 because it runs on your machine/);
    },
  );

  it("lets a user's row override the $0", () => {
    const mine = {
      provider: "local",
      model: "big",
      inputPerMillion: 0.01,
      outputPerMillion: 0.02,
      source: "my electricity bill",
      date: "2026-01-01",
    };
    expect(findPrice("local:big", [mine])).toBe(mine);
  });

  it("gives a budgeted configuration of local models a $0 price instead of refusing it as unpriced", () => {
    const config = parseMoaConfig(
      { proposers: ["local:a", "local:b"], aggregator: "local:a", maxCostUsd: 0.01 },
      "test",
    );
    const params = configToParams(config, (spec) => new FakeChatModel({ model: spec }));
    expect(params.budget?.prices).toEqual({
      a: { inputPerMillion: 0, outputPerMillion: 0 },
      b: { inputPerMillion: 0, outputPerMillion: 0 },
    });
  });
});

describe("priceTokens", () => {
  it("is the one cost formula: no other source file multiplies a per-million price", () => {
    const offenders = sourceFiles(SOURCE)
      .filter((path) => !path.endsWith(join("models", "price-table.ts")))
      .filter((path) =>
        /\*\s*[\w.]*(input|output)PerMillion|(input|output)PerMillion\s*\*/.test(
          readFileSync(path, "utf8"),
        ),
      )
      .map((path) => relative(SOURCE, path));
    expect(offenders).toEqual([]);
    expect(priceTokens({ inputPerMillion: 2, outputPerMillion: 8 }, 1_000_000, 500_000)).toBe(6);
  });

  it("is what the budget module uses (estimate-run exports no second formula)", async () => {
    const module = await import("../../../src/plan/estimate-run.js");
    expect(Object.keys(module)).toEqual(["estimateRun"]);
  });
});
