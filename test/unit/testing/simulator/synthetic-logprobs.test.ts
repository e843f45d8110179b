import { describe, expect, it } from "vitest";
import { buildLogprobs } from "../../../../src/testing/simulator/synthetic-logprobs.js";

describe("buildLogprobs", () => {
  it("gives one entry per token with top_logprobs headed by the token, most likely first", () => {
    const content = buildLogprobs(["Paris", " is", " nice"], 3);
    expect(content.map((entry) => entry.token)).toEqual(["Paris", " is", " nice"]);
    for (const entry of content) {
      expect(entry.logprob).toBeLessThan(0);
      expect(entry.top_logprobs).toHaveLength(3);
      expect(entry.top_logprobs[0]).toEqual({
        token: entry.token,
        logprob: entry.logprob,
        bytes: entry.bytes,
      });
      const values = entry.top_logprobs.map((candidate) => candidate.logprob);
      expect(values).toEqual([...values].sort((left, right) => right - left));
    }
    expect(content[1]?.bytes).toEqual([32, 105, 115]);
  });

  it("sends empty top_logprobs when none were asked for", () => {
    expect(buildLogprobs(["a"], 0)[0]?.top_logprobs).toEqual([]);
  });

  it("uses the scripted candidates for the first token, sorted and cut to the width", () => {
    const [first, second] = buildLogprobs(["m", " rest"], 2, [
      { token: "M", logprob: -2 },
      { token: "m", logprob: -0.1 },
      { token: "x", logprob: -5 },
    ]);
    expect(first?.logprob).toBe(-0.1);
    expect(first?.top_logprobs.map(({ token, logprob }) => [token, logprob])).toEqual([
      ["m", -0.1],
      ["M", -2],
    ]);
    expect(second?.top_logprobs[0]?.token).toBe(" rest");
  });

  it("takes the best scripted logprob when the token itself is not scripted", () => {
    const [first] = buildLogprobs(["z"], 1, [{ token: "m", logprob: -0.3 }]);
    expect(first?.logprob).toBe(-0.3);
  });
});
