import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { PlottingUnavailableError } from "../../../src/ablation/index.js";
import { loadPlottingStack } from "../../../src/ablation/plotting-stack.js";
import { runAblationStudy } from "../../../src/ablation/run-ablation-study.js";
import { renderScorePlot } from "../../../src/ablation/score-plot.js";
import { FakeChatModel } from "../../../src/testing/index.js";

// As when the optional peers are not installed: `vega` and `@resvg/resvg-js` cannot be imported.
vi.mock("vega", () => {
  throw new Error("Cannot find package 'vega'");
});
vi.mock("@resvg/resvg-js", () => {
  throw new Error("Cannot find package '@resvg/resvg-js'");
});

describe("plotting without the optional peer dependencies", () => {
  it("loadPlottingStack names the missing packages and the npm install command", async () => {
    const error = await loadPlottingStack().catch((caught: unknown) => caught);
    expect(PlottingUnavailableError.isInstance(error)).toBe(true);
    const typed = error as PlottingUnavailableError;
    expect(typed.packages).toEqual(["vega", "@resvg/resvg-js"]);
    expect(typed.message).toContain("`npm install vega @resvg/resvg-js`");
    expect(typed.cause).toBeDefined();
  });

  it("renderScorePlot throws PlottingUnavailableError", async () => {
    await expect(
      renderScorePlot({
        points: [{ label: "l1", series: "layers", x: 1, y: 2 }],
        title: "t",
        xTitle: "x",
        yTitle: "y",
      }),
    ).rejects.toThrow(PlottingUnavailableError);
  });

  it("runAblationStudy fails before any model call or file", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "moa-noplot-")), "study");
    let calls = 0;
    const model = new FakeChatModel({
      reply: () => {
        calls += 1;
        return "answer";
      },
    });
    await expect(
      runAblationStudy({
        study: "layers",
        benchmark: "mt-bench",
        models: ["fake:a"],
        out,
        loadModel: () => model,
        judge: model,
        judgeSpec: "fake:judge",
        maxInstances: 1,
      }),
    ).rejects.toThrow(/npm install vega @resvg\/resvg-js/);
    expect(calls).toBe(0);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});
