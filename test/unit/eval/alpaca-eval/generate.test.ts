import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HumanMessage } from "@langchain/core/messages";
import { beforeAll, describe, expect, it } from "vitest";
import { generateAlpacaEval } from "../../../../src/eval/alpaca-eval/generate.js";
import {
  loadAlpacaEvalSet,
  readAlpacaEvalOutputs,
  type AlpacaEvalOutput,
} from "../../../../src/eval/alpaca-eval/outputs-file.js";
import { FakeChatModel } from "../../../../src/testing/fake-chat-model.js";

let evalSet: AlpacaEvalOutput[];
beforeAll(async () => {
  evalSet = await loadAlpacaEvalSet();
});

async function outFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "moa-alpaca-generate-")), "model_outputs.json");
}

describe("generateAlpacaEval", () => {
  it("writes upstream-format outputs for a smoke run and resumes after failures", async () => {
    const out = await outFile();
    const model = new FakeChatModel({
      model: "proposer",
      reply: ({ messages }) => `answer to: ${String(messages[0]!.content).slice(0, 20)}`,
      fail: ({ call }) => (call === 1 ? new Error("provider refused") : undefined),
    });
    const generate = async ({ instruction }: { instruction: string }) => {
      const reply = await model.invoke([new HumanMessage(instruction)]);
      return { output: String(reply.content), usage: { inputTokens: 3, outputTokens: 4 } };
    };
    const first = await generateAlpacaEval({
      generate,
      generator: "my-moa",
      out,
      maxInstances: 4,
      concurrency: 1,
    });
    expect(first.total).toBe(4);
    expect(first.succeeded).toBe(3);
    expect(first.failures).toHaveLength(1);
    expect(first.usage).toEqual({ inputTokens: 9, outputTokens: 12 });

    const second = await generateAlpacaEval({
      generate,
      generator: "my-moa",
      out,
      maxInstances: 4,
    });
    expect(second.skipped).toBe(3);
    expect(second.succeeded).toBe(1);

    const raw = JSON.parse(await readFile(out, "utf8")) as Record<string, unknown>[];
    expect(Object.keys(raw[0]!).sort()).toEqual(["dataset", "generator", "instruction", "output"]);
    const outputs = await readAlpacaEvalOutputs(out);
    expect(outputs.map((output) => output.instruction)).toEqual(
      evalSet.slice(0, 4).map((entry) => entry.instruction),
    );
    expect(outputs.every((output) => output.generator === "my-moa")).toBe(true);
    expect(outputs[0]!.dataset).toBe(evalSet[0]!.dataset);
  });

  it("rejects a missing generator name before any call", async () => {
    await expect(
      generateAlpacaEval({
        generate: async () => ({ output: "" }),
        generator: "",
        out: await outFile(),
      }),
    ).rejects.toThrow(/generator/);
  });
});
