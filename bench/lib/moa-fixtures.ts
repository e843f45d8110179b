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

/** What a MoA without a graph is given: conversation, proposers, aggregator, layers. */
type MoaArgs = [
  messages: BaseMessage[],
  proposers: readonly BaseChatModel[],
  aggregator: BaseChatModel,
  layers: number,
];

/** How the proposers of one layer are called; resolves with their answers in proposer order. */
type CallLayer = (proposers: readonly BaseChatModel[], input: BaseMessage[]) => Promise<string[]>;

/** MoA without a graph: each layer and the aggregator see `injectReferences(conversation, answers)`. */
async function moaWithoutGraph(
  callLayer: CallLayer,
  ...[messages, proposers, aggregator, layers]: MoaArgs
): Promise<string> {
  let references: string[] = [];
  for (let layer = 1; layer < layers; layer++) {
    references = await callLayer(proposers, injectReferences(messages, references));
  }
  return messageText(await aggregator.invoke(injectReferences(messages, references)));
}

const allAtOnce: CallLayer = async (proposers, input) =>
  (await Promise.all(proposers.map((model) => model.invoke(input)))).map(messageText);

const oneAfterAnother: CallLayer = async (proposers, input) => {
  const answers: string[] = [];
  for (const model of proposers) answers.push(messageText(await model.invoke(input)));
  return answers;
};

/** Each proposer layer is one `Promise.all`: the same calls as the graph, with nothing around them. */
export const promiseAllMoa = (...args: MoaArgs) => moaWithoutGraph(allAtOnce, ...args);

/**
 * The reference implementation's pattern (togethercomputer/MoA's evaluation scripts): the
 * proposers of one example called one after another.
 */
export const sequentialMoa = (...args: MoaArgs) => moaWithoutGraph(oneAfterAnother, ...args);
