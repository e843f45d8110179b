import { describe, expect, it } from "vitest";
import { PythonRandom } from "../../../../src/eval/python/seeded-random.js";

// Values printed by CPython 3.11: repr(random.Random(seed).random()).
describe("PythonRandom", () => {
  it.each([
    ["hello", 0.3537754404730722],
    ["x".repeat(300), 0.22742392778346976],
    ["", 0.9602256525641875],
  ])("reproduces random.Random(%j).random()", (seed, expected) => {
    expect(new PythonRandom(seed).random()).toBe(expected);
  });

  it("reproduces choices([False, True]) for a switch seed", () => {
    expect(new PythonRandom("is_switched_outputsabc0").choice([false, true])).toBe(true);
  });
});
