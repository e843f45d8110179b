// `moa colm demo` end to end on real node-llama-cpp: generated GGUF pair, switch trained on the
// train split, η picked on validation, every method decoded on the held-out questions only.
import { describe, expect, it } from "vitest";
import { runCapturedCli } from "../support/cli-io.js";

interface DemoJson {
  methods: Array<{ name: string; accuracy: number; deferralRate: number; assistantCalls: number }>;
  threshold: number;
  splits: { train: number; validation: number; heldOut: number };
}

const method = (json: DemoJson, name: string) => json.methods.find((row) => row.name === name)!;

describe("moa colm demo", () => {
  it("--json: one object whose methods show the Co-LLM result on held-out questions", async () => {
    const { code, out } = await runCapturedCli(["colm", "demo", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as DemoJson;
    expect(json.methods.map((row) => row.name)).toEqual([
      "base",
      "assistant",
      "random",
      "greedy",
      "co-llm",
    ]);
    for (const row of json.methods) {
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining(["name", "accuracy", "deferralRate", "assistantCalls"]),
      );
    }
    expect(json.splits).toEqual({ train: 24, validation: 8, heldOut: 8 });
    expect(json.threshold).toBeGreaterThan(0);
    expect(json.threshold).toBeLessThan(1);

    const base = method(json, "base");
    const assistant = method(json, "assistant");
    const coLlm = method(json, "co-llm");
    const random = method(json, "random");
    expect(base.accuracy).toBeLessThanOrEqual(0.2);
    expect(base.assistantCalls).toBe(0);
    expect(assistant.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(assistant.deferralRate).toBe(1);
    expect(coLlm.accuracy).toBeGreaterThanOrEqual(assistant.accuracy - 0.05);
    expect(coLlm.deferralRate).toBeLessThan(0.5);
    // One answer token of " The answer is N . <eos>" is deferred, once per question.
    expect(coLlm.deferralRate).toBeCloseTo(1 / 6, 6);
    expect(coLlm.assistantCalls).toBe(json.splits.heldOut);
    expect(random.accuracy).toBeLessThan(coLlm.accuracy - 0.2);
  });

  it("prints the method table, η and the split sizes as text", async () => {
    const { code, out, err } = await runCapturedCli(["colm", "demo", "--questions", "20"]);
    expect(code).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^method\s+accuracy\s+deferral rate\s+assistant calls\s+tokens$/);
    expect(lines.slice(1, 6).map((line) => line.split(/\s+/)[0])).toEqual([
      "base",
      "assistant",
      "random",
      "greedy",
      "co-llm",
    ]);
    expect(lines[5]).toMatch(/^co-llm\s+100\.0 %\s+16\.7 %/);
    expect(lines[6]).toMatch(/^η = 0\.\d{4} · splits: 12 train \/ 4 validation \/ 4 held-out/);
    expect(err).toContain("training: fit");
  });

  it("confidently-wrong: the more-confident-token baseline fails where the learned gate does not", async () => {
    const { code, out } = await runCapturedCli([
      "colm",
      "demo",
      "--json",
      "--variant",
      "confidently-wrong",
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as DemoJson;
    expect(method(json, "greedy").accuracy).toBe(0);
    expect(method(json, "co-llm").accuracy).toBe(1);
  });

  it.each([
    [["--variant", "easy"], "--variant"],
    [["--questions", "3"], "--questions"],
    [["--questions", "100000"], "--questions"],
    [["--threads", "0"], "--threads"],
  ])("refuses %j before any work, naming the flag", async (flags, flag) => {
    const { code, err } = await runCapturedCli(["colm", "demo", ...flags]);
    expect(code).toBe(2);
    expect(err).toContain(flag);
    expect(err).not.toContain("training:");
  });
});
