// The embedded engine on real node-llama-cpp (CPU build), with toy GGUF models generated here:
// their outputs and probabilities are known in closed form, so every assertion is exact.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HumanMessage, SystemMessage, type AIMessageChunk } from "@langchain/core/messages";
import { readGgufFileInfo } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ChatLocalModel } from "../../src/local/chat-local-model.js";
import { getLocalModel } from "../../src/local/local-model-registry.js";
import { disposeLocalModels, localModelStats } from "../../src/local/local-models.js";
import { createToyModel, type ToyModel } from "../../src/local/toy-model.js";
import { withSampling } from "../../src/models/index.js";

const REPLY = "Paris is the capital of France.";
const LONG_REPLY = Array.from({ length: 120 }, (_, index) => `word${index}`).join(" ");
/** A template no built-in wrapper matches, so node-llama-cpp renders the Jinja itself. */
const CUSTOM_TEMPLATE =
  "{% for message in messages %}<|im_start|>{{ message['role'] | upper }}: {{ message['content'] }}<|im_end|>{% endfor %}" +
  "{% if add_generation_prompt %}<|im_start|>ASSISTANT: {% endif %}";

let directory: string;
let paris: ToyModel;
let parisPath: string;
let surePath: string;
let longPath: string;
let customPath: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "moa-local-engine-"));
  const write = (name: string, toy: ToyModel) => {
    const path = join(directory, `${name}.gguf`);
    writeFileSync(path, toy.bytes);
    return path;
  };
  paris = createToyModel({ name: "paris", reply: REPLY, confidence: 0.9 });
  parisPath = write("paris", paris);
  surePath = write("sure", createToyModel({ name: "sure", reply: REPLY }));
  longPath = write("long", createToyModel({ name: "long", reply: LONG_REPLY }));
  customPath = write(
    "custom",
    createToyModel({ name: "custom", reply: REPLY, chatTemplate: CUSTOM_TEMPLATE }),
  );
});

afterAll(async () => {
  await disposeLocalModels();
  rmSync(directory, { recursive: true, force: true });
});

const textOf = (message: { content: unknown }) => String(message.content);

describe("a generated toy GGUF on node-llama-cpp", () => {
  it("is a valid GGUF that llama.cpp loads, with its tokenizer and chat template", async () => {
    const info = await readGgufFileInfo(parisPath, { logWarnings: false });
    expect(info.version).toBe(3);
    expect(info.metadata.general.architecture).toBe("llama");
    expect(info.metadata.tokenizer.ggml.tokens).toEqual(paris.tokens);
    expect(info.tensorInfo?.map((tensor) => tensor.name)).toContain("blk.0.ffn_down.weight");

    const loaded = await getLocalModel({ modelPath: parisPath, threads: 1 });
    expect(loaded.chatWrapper.wrapperName).toBe("ChatML");
    const tokens = loaded.model.tokenize("Paris is the capital");
    expect(tokens.map((token) => paris.tokens[token])).toEqual([
      "Paris",
      "▁is",
      "▁the",
      "▁capital",
    ]);
    expect(loaded.model.detokenize(loaded.model.tokenize("Hello, wörld!\n"))).toBe(
      "Hello, wörld!\n",
    );
    expect(loaded.model.tokens.eos).toBe(paris.endOfSequenceToken);
  });

  it("reads per-token probabilities equal to the table's softmax", async () => {
    const loaded = await getLocalModel({ modelPath: parisPath, threads: 1 });
    const prompt = loaded.model.tokenize("Where?");
    const lease = await loaded.acquire(prompt);
    try {
      await lease.sequence.clearHistory();
      const steps = [];
      const evaluation = lease.sequence.evaluateWithMetadata(
        [loaded.model.tokens.bos!, ...prompt],
        { probabilities: true, confidence: true },
        { temperature: 0 },
      );
      // The evaluation ends by itself when the end-of-sequence token is sampled.
      for await (const step of evaluation) steps.push(step);
      expect(steps.map((step) => step.token)).toEqual(paris.replyTokens);
      let previous = prompt.at(-1)!;
      for (const step of steps) {
        const expected = paris.nextTokenProbabilities(previous);
        expect(step.confidence).toBeCloseTo(0.9, 4);
        expect(step.probabilities.get(step.token)).toBeCloseTo(expected[step.token]!, 4);
        // Any other token: (1 - 0.9) / (V - 1).
        const other = ((step.token + 1) % paris.tokens.length) as typeof step.token;
        expect(step.probabilities.get(other)).toBeCloseTo(expected[other]!, 6);
        previous = step.token;
      }
    } finally {
      lease.release();
    }
  });
});

describe("ChatLocalModel", () => {
  it("answers with the prescribed reply through the model's chat template, with usage", async () => {
    const model = new ChatLocalModel({ modelPath: parisPath, threads: 1 });
    const reply = await model.invoke([new SystemMessage("Be brief."), new HumanMessage("Hi")]);
    expect(textOf(reply)).toBe(REPLY);
    const loaded = await getLocalModel(model.loadOptions);
    // The prompt as ChatML renders it, plus the beginning-of-sequence token.
    const prompt = loaded.model.tokenize(
      "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
      true,
    );
    expect(loaded.model.tokens.bos).toBe(paris.beginningOfSequenceToken);
    expect(reply.usage_metadata).toMatchObject({
      input_tokens: prompt.length + 1,
      output_tokens: paris.replyTokens.length,
      total_tokens: prompt.length + 1 + paris.replyTokens.length,
    });
    expect(reply.response_metadata).toMatchObject({
      model_name: "paris",
      finish_reason: "stop",
      stop_reason: "eogToken",
      chat_wrapper: "ChatML",
    });
  });

  it("streams one chunk per generated token, usage last", async () => {
    const model = new ChatLocalModel({ modelPath: parisPath, threads: 1 });
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model.stream("Tell me.")) chunks.push(chunk);
    expect(chunks.slice(0, -1).map(textOf)).toEqual(
      paris.replyTokens.map((token) => paris.tokens[token]!.replace("▁", " ")),
    );
    expect(chunks.at(-1)!.usage_metadata?.output_tokens).toBe(paris.replyTokens.length);
  });

  it("honours maxTokens, stop sequences and temperature, also in sampling copies", async () => {
    const base = new ChatLocalModel({ modelPath: parisPath, threads: 1 });
    const capped = await withSampling(base, { maxTokens: 2 }, "proposers[0]").invoke("Hi");
    expect(textOf(capped)).toBe("Paris is");
    expect(capped.usage_metadata?.output_tokens).toBe(2);
    expect(capped.response_metadata.finish_reason).toBe("length");
    const stopped = await base.invoke("Hi", { stop: [" capital"] });
    expect(textOf(stopped)).toBe("Paris is the");
    expect(stopped.response_metadata.stop_reason).toBe("customStopTrigger");
    // Sampling at temperature 1.2 still follows a table whose prescribed tokens carry
    // 0.999999 of the mass (nucleus sampling keeps only them).
    const sampled = new ChatLocalModel({ modelPath: surePath, threads: 1, temperature: 1.2 });
    expect(textOf(await sampled.invoke("Hi"))).toBe(REPLY);
  });

  it("loads a file once and serves concurrent calls on separate sequences", async () => {
    const options = { modelPath: surePath, threads: 1, sequences: 3 };
    const models = [
      new ChatLocalModel(options),
      new ChatLocalModel(options),
      withSampling(new ChatLocalModel(options), { temperature: 0.5 }, "proposers[2]"),
    ];
    const replies = await Promise.all(models.map((model) => model.invoke("Capital?")));
    expect(replies.map(textOf)).toEqual([REPLY, REPLY, REPLY]);
    const stats = (await localModelStats()).filter(
      (entry) => entry.modelPath === surePath && entry.sequences === 3,
    );
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({ calls: 3, peakLeases: 3, activeLeases: 0 });
  });

  it("queues calls beyond its sequences instead of failing", async () => {
    const model = new ChatLocalModel({ modelPath: surePath, threads: 1, sequences: 1 });
    const replies = await Promise.all([1, 2, 3].map((index) => model.invoke(`Question ${index}`)));
    expect(replies.map(textOf)).toEqual([REPLY, REPLY, REPLY]);
    const [stats] = (await localModelStats()).filter(
      (entry) => entry.modelPath === surePath && entry.sequences === 1,
    );
    expect(stats).toMatchObject({ calls: 3, peakLeases: 1 });
  });

  it("cancels a generation on abort and gives its sequence back", async () => {
    const model = new ChatLocalModel({ modelPath: longPath, threads: 1, sequences: 1 });
    const controller = new AbortController();
    const received: string[] = [];
    const run = async () => {
      const stream = await model.stream("Go", { signal: controller.signal });
      for await (const chunk of stream) {
        received.push(textOf(chunk));
        if (received.length === 1) controller.abort(new Error("user pressed stop"));
      }
    };
    await expect(run()).rejects.toThrow(/user pressed stop/);
    expect(received.length).toBeLessThan(120);
    // LangChain rejects as soon as the signal fires; the engine stops at its next token.
    await vi.waitFor(async () => {
      const [stats] = (await localModelStats()).filter((entry) => entry.modelPath === longPath);
      expect(stats!.activeLeases).toBe(0);
    });
    // An already aborted signal never starts; the model still answers afterwards.
    await expect(
      model.invoke("Go", { signal: AbortSignal.abort(new Error("too late")) }),
    ).rejects.toThrow(/too late/);
    expect(textOf(await model.invoke("Again"))).toBe(LONG_REPLY);
  });

  it("stops generating when the consumer stops reading", async () => {
    const model = new ChatLocalModel({ modelPath: longPath, threads: 1, sequences: 1 });
    for await (const _chunk of await model.stream("Go")) break;
    const [stats] = (await localModelStats()).filter((entry) => entry.modelPath === longPath);
    expect(stats!.activeLeases).toBe(0);
    expect(textOf(await model.invoke("Go"))).toBe(LONG_REPLY);
  });

  it("renders a Jinja template no built-in wrapper matches", async () => {
    const model = new ChatLocalModel({ modelPath: customPath, threads: 1 });
    const reply = await model.invoke("Hi");
    expect(textOf(reply)).toBe(REPLY);
    expect(reply.response_metadata.chat_wrapper).toBe("JinjaTemplate");
    const loaded = await getLocalModel(model.loadOptions);
    // The template names no bos_token, so the prompt is exactly what it renders.
    const prompt = loaded.model.tokenize(
      "<|im_start|>USER: Hi<|im_end|><|im_start|>ASSISTANT: ",
      true,
    );
    expect(reply.usage_metadata?.input_tokens).toBe(prompt.length);
  });

  it("refuses a prompt longer than a sequence instead of silently dropping its start", async () => {
    const model = new ChatLocalModel({ modelPath: parisPath, threads: 1, contextSize: 256 });
    await expect(model.invoke("x".repeat(600))).rejects.toThrow(
      /the prompt is \d+ tokens but each sequence of paris holds \d+\. Raise `contextSize`/,
    );
  });
});
