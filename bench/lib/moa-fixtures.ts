import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { injectReferences } from "../../src/prompts/index.js";
import { FakeChatModel } from "../../src/testing/index.js";
import { messageText } from "../../src/models/usage.js";

/** The benchmark's user turn. */
export function benchInput(text = "Explain why the sky is blue in two sentences."): {
  messages: BaseMessage[];
} {
  return { messages: [new HumanMessage(text)] };
}

/** `count` zero-latency fakes named `proposer-0…` plus an aggregator. */
export function fakeModels(
  count: number,
  reply?: (name: string) => string,
): { proposers: FakeChatModel[]; aggregator: FakeChatModel } {
  const make = (name: string) =>
    new FakeChatModel({ model: name, ...(reply ? { reply: reply(name) } : {}) });
  return {
    proposers: Array.from({ length: count }, (_, index) => make(`proposer-${index}`)),
    aggregator: make("aggregator"),
  };
}

/**
 * MoA without a graph: each proposer layer is one `Promise.all` over the proposers, the next
 * layer and the aggregator see `injectReferences(conversation, answers)`. The same calls as the
 * graph, with nothing around them.
 */
export async function promiseAllMoa(
  messages: BaseMessage[],
  proposers: readonly BaseChatModel[],
  aggregator: BaseChatModel,
  layers: number,
): Promise<string> {
  let references: string[] = [];
  for (let layer = 1; layer < layers; layer++) {
    const input = injectReferences(messages, references);
    const replies = await Promise.all(proposers.map((model) => model.invoke(input)));
    references = replies.map(messageText);
  }
  return messageText(await aggregator.invoke(injectReferences(messages, references)));
}

/**
 * The reference implementation's pattern (togethercomputer/MoA's evaluation scripts): the
 * proposers of one example called one after another.
 */
export async function sequentialMoa(
  messages: BaseMessage[],
  proposers: readonly BaseChatModel[],
  aggregator: BaseChatModel,
  layers: number,
): Promise<string> {
  let references: string[] = [];
  for (let layer = 1; layer < layers; layer++) {
    const input = injectReferences(messages, references);
    const answers: string[] = [];
    for (const model of proposers) answers.push(messageText(await model.invoke(input)));
    references = answers;
  }
  return messageText(await aggregator.invoke(injectReferences(messages, references)));
}
