import { ChatOpenAI } from "@langchain/openai";
import { describe, expect, it } from "vitest";
import {
  InvalidArgumentError,
  ModelSpecError,
  loadChatModel,
  parseModelSpec,
} from "../../../src/index.js";

function clientBaseUrl(model: ChatOpenAI): string | undefined {
  return (model as unknown as { clientConfig: { baseURL?: string } }).clientConfig.baseURL;
}

describe("parseModelSpec", () => {
  it.each([
    ["openai:gpt-4o", "openai", "gpt-4o"],
    ["together:Qwen/Qwen1.5-72B-Chat", "together", "Qwen/Qwen1.5-72B-Chat"],
    ["ollama:llama3:8b", "ollama", "llama3:8b"],
    ["  GROQ:llama-3.1-8b-instant ", "groq", "llama-3.1-8b-instant"],
  ])("splits %s at the first colon", (spec, provider, model) => {
    expect(parseModelSpec(spec)).toEqual({ provider, model });
  });

  it.each(["gpt-4o", ":gpt-4o", "openai:", ""])("rejects the malformed spec %j", (spec) => {
    let error: unknown;
    try {
      parseModelSpec(spec);
    } catch (caught) {
      error = caught;
    }
    expect(ModelSpecError.isInstance(error)).toBe(true);
    expect((error as ModelSpecError).reason).toBe("malformed");
    expect((error as Error).message).toContain('"provider:model"');
  });
});

describe("loadChatModel", () => {
  it.each([
    ["openai:gpt-4o", { OPENAI_API_KEY: "sk-a" }, "https://api.openai.com/v1"],
    ["together:Qwen/Qwen1.5-110B-Chat", { TOGETHER_API_KEY: "k" }, "https://api.together.xyz/v1"],
    ["groq:llama3-70b-8192", { GROQ_API_KEY: "k" }, "https://api.groq.com/openai/v1"],
    ["ollama:llama3", {}, "http://localhost:11434/v1"],
  ])("builds %s with the provider's public default base URL", (spec, env, baseUrl) => {
    const model = loadChatModel(spec, { env }) as ChatOpenAI;
    expect(model).toBeInstanceOf(ChatOpenAI);
    expect(model.model).toBe(spec.slice(spec.indexOf(":") + 1));
    expect(clientBaseUrl(model)).toBe(baseUrl);
  });

  it.each([
    ["openai:m", "OPENAI_BASE_URL", { OPENAI_API_KEY: "k" }],
    ["together:m", "TOGETHER_BASE_URL", { TOGETHER_API_KEY: "k" }],
    ["groq:m", "GROQ_BASE_URL", { GROQ_API_KEY: "k" }],
    ["ollama:m", "OLLAMA_BASE_URL", {}],
  ])("points %s at %s", (spec, variable, env) => {
    const model = loadChatModel(spec, { env: { ...env, [variable]: "http://127.0.0.1:9/v1" } });
    expect(clientBaseUrl(model as ChatOpenAI)).toBe("http://127.0.0.1:9/v1");
  });

  it("applies temperature, max tokens and timeout", () => {
    const model = loadChatModel("openai:gpt-4o", {
      env: { OPENAI_API_KEY: "k" },
      temperature: 0.7,
      maxTokens: 2048,
      timeoutMs: 5000,
    }) as ChatOpenAI;
    expect(model.temperature).toBe(0.7);
    expect(model.maxTokens).toBe(2048);
    expect(model.timeout).toBe(5000);
  });

  it.each([2 ** 31, 0, -5, Number.NaN])(
    "refuses a timeoutMs of %s (Node clamps timers ≥ 2³¹ ms to 1 ms) naming it",
    (timeoutMs) => {
      let error: unknown;
      try {
        loadChatModel("openai:gpt-4o", { env: { OPENAI_API_KEY: "k" }, timeoutMs });
      } catch (caught) {
        error = caught;
      }
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).parameter).toBe("timeoutMs");
    },
  );

  it.each([
    ["openai:gpt-4o", "OPENAI_API_KEY"],
    ["together:Qwen/Qwen1.5-110B-Chat", "TOGETHER_API_KEY"],
    ["groq:llama3-70b-8192", "GROQ_API_KEY"],
  ])("names the missing key for %s and suggests --simulate", (spec, variable) => {
    try {
      loadChatModel(spec, { env: {} });
      expect.unreachable();
    } catch (error) {
      expect(ModelSpecError.isInstance(error)).toBe(true);
      expect((error as ModelSpecError).reason).toBe("missing-credentials");
      expect((error as ModelSpecError).variables).toEqual([variable]);
      expect((error as Error).message).toContain(variable);
      expect((error as Error).message).toContain("--simulate");
    }
  });

  it("rejects an unknown provider and lists the known ones", () => {
    expect(() => loadChatModel("anthropic:claude", { env: {} })).toThrow(
      /Unknown provider "anthropic".*"openai:"/,
    );
  });

  it("never puts the key in an error message", () => {
    try {
      loadChatModel("nope:x", { env: { OPENAI_API_KEY: "sk-canary-123456789" } });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("canary");
    }
  });
});
