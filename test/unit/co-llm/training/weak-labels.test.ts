// Weak labels: defer exactly where the assistant is right and the base is not.
import { describe, expect, it } from "vitest";
import { weakLabels } from "../../../../src/co-llm/training/weak-labels.js";

describe("weakLabels", () => {
  it("is 1 only when the assistant's argmax is gold and the base's is not", () => {
    expect(
      weakLabels([
        { baseIsRight: true, assistantIsRight: true },
        { baseIsRight: true, assistantIsRight: false },
        { baseIsRight: false, assistantIsRight: true },
        { baseIsRight: false, assistantIsRight: false },
      ]),
    ).toEqual([0, 0, 1, 0]);
  });
});
