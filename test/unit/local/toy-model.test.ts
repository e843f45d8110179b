import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors/index.js";
import { CHATML_TEMPLATE, createToyModel } from "../../../src/local/toy-model.js";

describe("createToyModel", () => {
  it("makes each word of the reply one token, the first without the space marker", () => {
    const toy = createToyModel({ name: "t", reply: "Paris is lovely." });
    expect(toy.replyTokens.map((token) => toy.tokens[token])).toEqual(["Paris", "▁is", "▁lovely."]);
  });

  it("splits a repeated word into unused pieces, since a token has one successor", () => {
    const toy = createToyModel({ name: "t", reply: "the cat and the dog and the end" });
    const pieces = toy.replyTokens.map((token) => toy.tokens[token]!);
    expect(new Set(toy.replyTokens).size).toBe(toy.replyTokens.length);
    expect(pieces.join("").replaceAll("▁", " ")).toBe("the cat and the dog and the end");
    expect(pieces.slice(0, 3)).toEqual(["the", "▁cat", "▁and"]);
  });

  it("carries the special tokens, 256 byte tokens and the space marker", () => {
    const toy = createToyModel({ name: "t", reply: "hi" });
    expect(toy.tokens.slice(0, 5)).toEqual(["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]);
    expect(toy.tokens[5]).toBe("<0x00>");
    expect(toy.tokens[5 + 0x0a]).toBe("<0x0A>");
    expect(toy.tokens[260]).toBe("<0xFF>");
    expect(toy.tokens).toContain("▁");
    expect(toy.beginningOfSequenceToken).toBe(1);
    expect(toy.endOfSequenceToken).toBe(4);
  });

  it("prescribes: any other token → first reply token → … → last → end of sequence", () => {
    const toy = createToyModel({ name: "t", reply: "one two three", confidence: 0.9 });
    const argmax = (token: number) => {
      const probabilities = toy.nextTokenProbabilities(token);
      return probabilities.indexOf(Math.max(...probabilities));
    };
    const [one, two, three] = toy.replyTokens as [number, number, number];
    expect(argmax(3 /* <|im_start|> */)).toBe(one);
    expect(argmax(10 /* a byte */)).toBe(one);
    expect(argmax(one)).toBe(two);
    expect(argmax(two)).toBe(three);
    expect(argmax(three)).toBe(toy.endOfSequenceToken);
  });

  it.each([0.5, 0.9, 0.999999])(
    "gives the prescribed token probability %s and spreads the rest evenly",
    (confidence) => {
      const toy = createToyModel({ name: "t", reply: "a b", confidence });
      const probabilities = toy.nextTokenProbabilities(toy.replyTokens[0]!);
      expect(probabilities[toy.replyTokens[1]!]).toBeCloseTo(confidence, 12);
      expect(probabilities.reduce((total, value) => total + value, 0)).toBeCloseTo(1, 12);
      const others = [...probabilities].filter((_, token) => token !== toy.replyTokens[1]);
      expect(Math.max(...others)).toBeCloseTo(Math.min(...others), 15);
    },
  );

  it("writes a small file: a few hundred KB", () => {
    const toy = createToyModel({
      name: "t",
      reply: "A reply of a dozen words or so, like the demo ones.",
    });
    expect(toy.bytes.byteLength).toBeGreaterThan(100_000);
    expect(toy.bytes.byteLength).toBeLessThan(600_000);
    expect(new TextDecoder().decode(toy.bytes.subarray(0, 4))).toBe("GGUF");
    expect(Buffer.from(toy.bytes).includes(CHATML_TEMPLATE)).toBe(true);
  });

  it("is deterministic", () => {
    const params = { name: "t", reply: "same bytes every time" };
    expect(
      Buffer.from(createToyModel(params).bytes).equals(Buffer.from(createToyModel(params).bytes)),
    ).toBe(true);
  });

  it.each([
    [{ name: "t", reply: "   " }, /at least one word/],
    [{ name: "t", reply: "x", confidence: 1 }, /strictly between 0 and 1/],
    [{ name: "t", reply: "a a a a" }, /cannot say "a" again/],
  ])("rejects %j with an InvalidArgumentError", (params, message) => {
    let caught: unknown;
    try {
      createToyModel(params);
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });
});
