// Helpers shared by the graph tests. Expected prompt texts are rebuilt here from the constant,
// independently of `formatReferences`, so a bug there cannot hide behind the same code.
import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { AGGREGATE_AND_SYNTHESIZE_PROMPT } from "../../../src/prompts/index.js";
import type { FakeReplyContext, RecordedCall } from "../../../src/testing/index.js";

/** Deterministic PRNG (mulberry32): "random" latencies that replay identically. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A reply that names the proposer, the layer and the sample: independent of call order. */
export function taggedReply(name: string) {
  return ({ metadata }: FakeReplyContext): string =>
    `${name} says L${String(metadata.moa_layer)}#${String(metadata.moa_sample)}`;
}

/** The system text a call with these references must carry. */
export function expectedSystemText(references: readonly string[]): string {
  return (
    AGGREGATE_AND_SYNTHESIZE_PROMPT +
    references.map((reference, index) => `\n${index + 1}. ${reference}`).join("")
  );
}

/** Text of a recorded call's leading system message, or `undefined` when it has none. */
export function systemTextOf(call: RecordedCall): string | undefined {
  const first = call.messages[0];
  return first?.getType() === "system" ? String(first.content) : undefined;
}

/** `[type, text]` pairs: a compact, comparable view of a message list. */
export function transcript(messages: readonly BaseMessage[]): [string, string][] {
  return messages.map((message) => [
    message.getType(),
    typeof message.content === "string" ? message.content : JSON.stringify(message.content),
  ]);
}

/** Calls of a recorder made for one MoA layer (from the MoA metadata of the call). */
export function callsOfLayer(calls: readonly RecordedCall[], layer: number): RecordedCall[] {
  return calls.filter((call) => call.metadata.moa_layer === layer);
}

/** Graph input with one user turn. */
export function userTurn(text: string): { messages: BaseMessage[] } {
  return { messages: [new HumanMessage(text)] };
}
