// A base/assistant pair of in-memory token models for the training tests (the decode test's
// script): both write " a b <answer> ." after "Q"; the base answers " Y", the assistant " X".
import { createFakeTokenModel } from "../../../../src/co-llm/fixtures/create-fake-token-model.js";

// 0 <eos>, 1 "Q", 2 " a", 3 " b", 4 " X" (right), 5 " Y" (wrong), 6 "."
export const VOCABULARY = ["<eos>", "Q", " a", " b", " X", " Y", "."];
export const EOS = 0;
const SCRIPT = [2, 3, -1, 6, EOS];

export function fakePair(assistantVocabulary: readonly string[] = VOCABULARY) {
  const step = (sequence: readonly number[]) => sequence.length - 1; // the prompt is "Q"
  const base = createFakeTokenModel({
    identity: "fake-base",
    vocabulary: VOCABULARY,
    endOfGeneration: [EOS],
    next: (sequence) => {
      const hard = SCRIPT[step(sequence)] === -1;
      return {
        token: hard ? 5 : (SCRIPT[step(sequence)] ?? EOS),
        confidence: hard ? 0.6 : 0.99,
        // [constant, hard]
        hidden: Float32Array.from([1, hard ? 1 : 0]),
      };
    },
  });
  const assistant = createFakeTokenModel({
    identity: "fake-assistant",
    vocabulary: assistantVocabulary,
    endOfGeneration: [EOS],
    next: (sequence) => ({
      token: SCRIPT[step(sequence)] === -1 ? 4 : (SCRIPT[step(sequence)] ?? EOS),
      confidence: 0.9,
    }),
  });
  return { base, assistant };
}
