import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AIMessage, ChatMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, ModelSpecError } from "../../../src/errors/index.js";
import { ChatLocalModel } from "../../../src/local/chat-local-model.js";
import { assertLocalEngineInstalled } from "../../../src/local/local-engine.js";
import { localModelKey } from "../../../src/local/local-model-registry.js";
import { toChatHistory } from "../../../src/local/to-chat-history.js";
import { withSampling } from "../../../src/models/index.js";
import { loadChatModel } from "../../../src/load-chat-model.js";

let cache: string;

beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), "moa-local-load-"));
  writeFileSync(join(cache, "tiny.gguf"), "GGUF");
});

afterAll(() => rmSync(cache, { recursive: true, force: true }));

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe('loadChatModel("local:…")', () => {
  it("returns a ChatLocalModel for a cached name without loading anything", () => {
    const model = loadChatModel("local:tiny", {
      env: { MOA_MODELS_DIR: cache, MOA_LOCAL_THREADS: "1", MOA_LOCAL_SEQUENCES: "2" },
      temperature: 0.7,
      maxTokens: 64,
    });
    expect(model).toBeInstanceOf(ChatLocalModel);
    expect(model).toMatchObject({
      modelPath: join(cache, "tiny.gguf"),
      model: "tiny",
      temperature: 0.7,
      maxTokens: 64,
      threads: 1,
      sequences: 2,
      contextSize: undefined,
      gpu: undefined,
    });
    expect(model._llmType()).toBe("local");
  });

  it("takes a path", () => {
    const path = join(cache, "tiny.gguf");
    expect(loadChatModel(`local:${path}`, { env: {} })).toMatchObject({ modelPath: path });
  });

  it.each([
    [{ MOA_LOCAL_THREADS: "two" }, /MOA_LOCAL_THREADS must be a whole number ≥ 1/],
    [{ MOA_LOCAL_SEQUENCES: "0" }, /MOA_LOCAL_SEQUENCES must be a whole number ≥ 1/],
    [{ MOA_LOCAL_CONTEXT_SIZE: "1.5" }, /MOA_LOCAL_CONTEXT_SIZE must be a whole number ≥ 16/],
  ])("rejects engine variables %j with a ModelSpecError naming the variable", (env, message) => {
    const error = caught(() =>
      loadChatModel("local:tiny", { env: { MOA_MODELS_DIR: cache, ...env } }),
    );
    expect(ModelSpecError.isInstance(error)).toBe(true);
    expect((error as ModelSpecError).message).toMatch(message);
  });

  it("reports an unknown model as unavailable, with what to do", () => {
    const error = caught(() =>
      loadChatModel("local:llama-70b", { env: { MOA_MODELS_DIR: cache } }),
    );
    expect(ModelSpecError.isInstance(error)).toBe(true);
    expect((error as ModelSpecError).reason).toBe("unavailable");
    expect((error as ModelSpecError).message).toMatch(/moa models pull/);
  });

  it("tells users without node-llama-cpp to install it", () => {
    const error = caught(() =>
      assertLocalEngineInstalled("local:tiny", () => {
        throw Object.assign(new Error("Cannot find module 'node-llama-cpp'"), {
          code: "MODULE_NOT_FOUND",
        });
      }),
    );
    expect(ModelSpecError.isInstance(error)).toBe(true);
    expect((error as ModelSpecError).reason).toBe("unavailable");
    expect((error as ModelSpecError).message).toMatch(/npm install node-llama-cpp/);
    expect(() => assertLocalEngineInstalled("local:tiny")).not.toThrow();
  });
});

describe("ChatLocalModel", () => {
  it("derives its name from the file and validates its settings", () => {
    expect(new ChatLocalModel({ modelPath: "/m/Qwen2.5-0.5B.Q4.gguf" }).model).toBe(
      "Qwen2.5-0.5B.Q4",
    );
    const error = caught(() => new ChatLocalModel({ modelPath: "/m/x.gguf", threads: 0 }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/`threads` must be a whole number ≥ 1/);
    expect(() => new ChatLocalModel({ modelPath: " " })).toThrow(/`modelPath`/);
    expect(() => new ChatLocalModel({ modelPath: "/m/x.gguf", topP: 2 })).toThrow(/≤ 1/);
  });

  it("makes per-proposer sampling copies that share the loaded model", () => {
    const base = new ChatLocalModel({ modelPath: "/m/x.gguf", threads: 1, temperature: 0 });
    const copy = withSampling(base, { temperature: 0.9, maxTokens: 5 }, "proposers[0]");
    expect(copy).toBeInstanceOf(ChatLocalModel);
    expect(copy).toMatchObject({ temperature: 0.9, maxTokens: 5, threads: 1, model: "x" });
    expect(localModelKey((copy as ChatLocalModel).loadOptions)).toBe(
      localModelKey(base.loadOptions),
    );
    expect(localModelKey({ ...base.loadOptions, threads: 2 })).not.toBe(
      localModelKey(base.loadOptions),
    );
  });
});

describe("toChatHistory", () => {
  it("maps roles and opens an empty reply", () => {
    expect(
      toChatHistory([
        new SystemMessage("Be brief."),
        new HumanMessage("Hi"),
        new AIMessage("Hello"),
        new ChatMessage({ role: "assistant", content: "More" }),
        new HumanMessage({ content: [{ type: "text", text: "Why?" }] }),
      ]),
    ).toEqual([
      { type: "system", text: "Be brief." },
      { type: "user", text: "Hi" },
      { type: "model", response: ["Hello"] },
      { type: "model", response: ["More"] },
      { type: "user", text: "Why?" },
      { type: "model", response: [] },
    ]);
  });

  it("continues a trailing AI message instead of opening a new reply", () => {
    expect(toChatHistory([new HumanMessage("Count"), new AIMessage("1, 2,")]).at(-1)).toEqual({
      type: "model",
      response: ["1, 2,"],
    });
  });

  it("refuses an empty conversation", () => {
    expect(() => toChatHistory([])).toThrow(/at least one message/);
  });
});
