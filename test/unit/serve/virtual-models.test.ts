import { describe, expect, it } from "vitest";
import { InvalidConfigError } from "../../../src/errors/index.js";
import { PRESET_NAMES } from "../../../src/presets/presets.js";
import { virtualModels } from "../../../src/serve/virtual-models.js";

describe("virtualModels", () => {
  it("offers every preset, plus the config's mixtures with their preset applied", () => {
    const models = virtualModels({
      fast: { preset: "moa-lite", aggregator: "openai:gpt-4o-mini" },
    });
    expect(Object.keys(models)).toEqual([...PRESET_NAMES, "fast"]);
    expect(models.fast).toMatchObject({
      layers: 2,
      aggregator: "openai:gpt-4o-mini",
      temperature: 0.7,
    });
    expect(models["moa-lite"]!.aggregator).toBe("together:Qwen/Qwen1.5-72B-Chat");
  });

  it("names the file, the entry and the field of a bad configuration", () => {
    expect(() => virtualModels({ bad: { layers: 0 } }, "mixtures.json")).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/mixtures\.json › bad[\s\S]*layers/),
      }),
    );
    expect(() => virtualModels([1])).toThrow(InvalidConfigError);
  });
});
