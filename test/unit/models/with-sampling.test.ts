import { ChatOpenAI } from "@langchain/openai";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/index.js";
import { withSampling } from "../../../src/models/with-sampling.js";
import { FakeChatModel } from "../../../src/testing/index.js";

describe("withSampling", () => {
  it("returns the same instance when nothing is overridden", () => {
    const model = new FakeChatModel();
    expect(withSampling(model, {}, "proposers[0]")).toBe(model);
  });

  it("gives ChatOpenAI its own temperature and max tokens in the request, leaving the original alone", () => {
    const original = new ChatOpenAI({ model: "gpt-4o", apiKey: "sk-test", temperature: 0.1 });
    const tuned = withSampling(
      original,
      { temperature: 0.9, maxTokens: 77 },
      "proposers[0]",
    ) as ChatOpenAI;
    expect(tuned).not.toBe(original);
    expect(tuned.invocationParams({}).temperature).toBe(0.9);
    const params = tuned.invocationParams({}) as {
      max_tokens?: number;
      max_completion_tokens?: number;
    };
    expect(params.max_tokens ?? params.max_completion_tokens).toBe(77);
    expect(original.invocationParams({}).temperature).toBe(0.1);
    expect(tuned.model).toBe("gpt-4o");
  });

  it("keeps a fake's call recorder shared with the clone", () => {
    const original = new FakeChatModel({ model: "m" });
    const tuned = withSampling(original, { temperature: 0.3 }, "proposers[0]") as FakeChatModel;
    expect(tuned.recorder).toBe(original.recorder);
    expect(tuned.temperature).toBe(0.3);
    expect(original.temperature).toBeUndefined();
  });

  it("refuses a model that has no such field, naming the parameter", () => {
    const model = new FakeChatModel();
    Object.defineProperty(model, "lc_kwargs", { value: undefined });
    try {
      withSampling(model, { temperature: 0.5 }, "proposers[3]");
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).parameter).toBe("proposers[3]");
    }
  });
});
