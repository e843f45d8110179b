import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../../src/errors/index.js";
import {
  checkModelBehaviour,
  type ModelBehaviour,
} from "../../../../src/testing/simulator/model-behaviour.js";

describe("checkModelBehaviour", () => {
  it("accepts an empty behaviour and a fully specified one", () => {
    expect(() => checkModelBehaviour({}, "defaultModel")).not.toThrow();
    expect(() =>
      checkModelBehaviour(
        {
          latencyMs: { distribution: "uniform", min: 1, max: 2 },
          tokensPerSecond: 50,
          reply: () => "ok",
          outputTokens: 0,
          contextWindow: 100,
          faults: [undefined, { kind: "hang" }],
          logprobs: () => [{ token: "a", logprob: -1 }],
        },
        "models.a",
      ),
    ).not.toThrow();
  });

  it.each([
    [{ latencyMs: -5 }, "models.a.latencyMs"],
    [{ tokensPerSecond: 0 }, "models.a.tokensPerSecond"],
    [{ contextWindow: -1 }, "models.a.contextWindow"],
    [{ outputTokens: 2.5 }, "models.a.outputTokens"],
    [{ reply: 42 }, "models.a.reply"],
    [{ faults: { kind: "hang" } }, "models.a.faults"],
    [{ faults: [null, { kind: "status", status: 99 }] }, "models.a.faults[1]"],
  ])("rejects %j with an InvalidArgumentError naming %s", (behaviour, parameter) => {
    let thrown: unknown;
    try {
      checkModelBehaviour(behaviour as unknown as ModelBehaviour, "models.a");
    } catch (error) {
      thrown = error;
    }
    expect(InvalidArgumentError.isInstance(thrown)).toBe(true);
    expect((thrown as InvalidArgumentError).parameter).toBe(parameter);
    expect((thrown as InvalidArgumentError).message).toContain(`\`${parameter}\``);
  });
});
