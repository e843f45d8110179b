import { describe, expect, it } from "vitest";
import { splitModelSpec } from "../../../src/models/parse-model-spec.js";

describe("splitModelSpec", () => {
  it.each([
    ["openai:gpt-4o", { provider: "openai", model: "gpt-4o" }],
    ["ollama:llama3:8b", { provider: "ollama", model: "llama3:8b" }],
    ["together:Qwen/Qwen1.5-72B-Chat", { provider: "together", model: "Qwen/Qwen1.5-72B-Chat" }],
    [" GROQ:x ", { provider: " GROQ", model: "x " }],
    ["gpt-4o", { model: "gpt-4o" }],
    [":gpt-4o", { provider: "", model: "gpt-4o" }],
  ])("splits %j at the first colon as written, without checks", (spec, expected) => {
    expect(splitModelSpec(spec)).toEqual(expected);
  });
});
