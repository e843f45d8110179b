import { describe, expect, it } from "vitest";
import {
  PNG_SCALE,
  renderScorePlot,
  scorePlotSpec,
  type ScorePlotPoint,
} from "../../../src/ablation/score-plot.js";
import { crosses } from "../../../src/ablation/label-placement.js";
import { InvalidArgumentError } from "../../../src/errors/index.js";
import { decodePng, distinctColours } from "./decode-png.js";

const points: ScorePlotPoint[] = [
  { label: "l1", series: "layers", x: 0.0004, y: 43.9 },
  { label: "l2", series: "layers", x: 0.003, y: 61.3 },
  { label: "l3", series: "layers", x: 0.0095, y: 65.1 },
  { label: "ranker-l2", series: "LLM-ranker", x: 0.0031, y: 50.2 },
];
const params = {
  points,
  title: "layers study",
  xTitle: "cost per query (USD)",
  yTitle: "LC win rate (%)",
};

/** Width and height from a PNG's IHDR chunk (bytes 16–23). */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const bytes = Buffer.from(png);
  expect(bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  expect(bytes.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Symbols drawn by the point layer of a Vega SVG. */
function pointSymbols(svg: string): number {
  const group = /<g class="mark-symbol role-mark points_marks"[^>]*>([\s\S]*?)<\/g>/.exec(svg);
  return group ? (group[1]!.match(/<path /g) ?? []).length : 0;
}

describe("scorePlotSpec", () => {
  it("draws points coloured by series, their labels and the Pareto front as a line", () => {
    const spec = scorePlotSpec(params) as unknown as {
      data: { values: { label: string; front: boolean }[] };
      layer: { mark: { type: string }; name?: string }[];
    };
    expect(spec.layer.map((layer) => layer.mark.type)).toEqual(["line", "point", "text"]);
    // No standard errors, no error bars.
    expect(spec.layer[1]!.name).toBe("points");
    expect(spec.data.values.filter((value) => value.front).map((value) => value.label)).toEqual([
      "l1",
      "l2",
      "l3",
    ]);
  });

  it("draws a 95% error bar from each standard error and says so under the title", () => {
    const spec = scorePlotSpec({
      ...params,
      points: points.map((point, index) => (index === 3 ? point : { ...point, standardError: 2 })),
    }) as unknown as {
      title: { subtitle: string[] };
      data: { values: { yLow?: number; yHigh?: number }[] };
      layer: { mark: { type: string }; name?: string }[];
    };
    expect(spec.layer.map((layer) => layer.mark.type)).toEqual(["line", "rule", "point", "text"]);
    expect(spec.data.values[0]!.yLow).toBeCloseTo(43.9 - 1.96 * 2, 2);
    expect(spec.data.values[0]!.yHigh).toBeCloseTo(43.9 + 1.96 * 2, 2);
    expect(spec.data.values[3]!.yLow).toBeUndefined();
    expect(spec.title.subtitle).toEqual(["bars: 95% interval (±1.96 standard errors)"]);
  });

  it("uses a log x axis when the budgets span ten times or more", () => {
    const x = (spec: unknown) =>
      (spec as { layer: { encoding: { x: { scale: unknown } } }[] }).layer[1]!.encoding.x.scale;
    expect(x(scorePlotSpec(params))).toEqual({ type: "log" });
    expect(x(scorePlotSpec({ ...params, points: points.slice(1, 2) }))).toEqual({ zero: false });
    expect(x(scorePlotSpec({ ...params, logX: false }))).toEqual({ zero: false });
  });
});

describe("renderScorePlot", () => {
  it("renders an SVG and a PNG twice its size with one point per variant", async () => {
    const plot = await renderScorePlot(params);
    expect(plot.svg.startsWith("<svg")).toBe(true);
    expect(plot.svg).toContain("layers study");
    expect(plot.pointMarks).toBe(points.length);
    expect(pointSymbols(plot.svg)).toBe(points.length);
    for (const point of points) expect(plot.svg).toContain(`>${point.label}<`);
    expect(plot.width).toBeGreaterThan(640);
    expect(plot.height).toBeGreaterThan(400);
    expect(pngSize(plot.png)).toEqual({ width: plot.pngWidth, height: plot.pngHeight });
    const image = decodePng(plot.png);
    expect([image.width, image.height]).toEqual([plot.pngWidth, plot.pngHeight]);
    expect(distinctColours(image)).toBeGreaterThan(8);
    expect(plot.pngWidth).toBe(Math.round(plot.width * PNG_SCALE));
    expect(plot.pngHeight).toBe(Math.round(plot.height * PNG_SCALE));
    expect(plot.front).toEqual([0, 1, 2]);
  });

  it("places crowded labels clear of each other, the error bars and the Pareto line", async () => {
    // Pairs of variants a few pixels apart, as the ranker study draws them.
    const crowded: ScorePlotPoint[] = [
      { label: "l1", series: "aggregator", x: 0.0004, y: 43.9, standardError: 1.5 },
      { label: "single-n2", series: "single", x: 0.0026, y: 49.0, standardError: 1.5 },
      { label: "ranker-l2", series: "LLM-ranker", x: 0.003, y: 50.2, standardError: 1.6 },
      { label: "aggregator-l2", series: "aggregator", x: 0.0031, y: 51.3, standardError: 1.7 },
      { label: "ranker-l3", series: "LLM-ranker", x: 0.0092, y: 60.1, standardError: 1.4 },
      { label: "aggregator-l3", series: "aggregator", x: 0.0095, y: 61.1, standardError: 1.4 },
    ];
    const plot = await renderScorePlot({ ...params, points: crowded });
    expect(plot.labels.map((label) => label.label)).toEqual(crowded.map((point) => point.label));
    // Every point is on the Pareto front: 6 error bars and the line's 5 segments.
    expect(plot.obstacles.length).toBe(11);
    const boxes = plot.labels.map(({ x1, y1, x2, y2 }) => ({
      left: x1,
      top: y1,
      right: x2,
      bottom: y2,
    }));
    for (const [index, box] of boxes.entries()) {
      expect(plot.labels[index]!.clear).toBe(true);
      for (const other of boxes.slice(index + 1)) {
        const overlap =
          box.left < other.right &&
          other.left < box.right &&
          box.top < other.bottom &&
          other.top < box.bottom;
        expect(overlap).toBe(false);
      }
      for (const segment of plot.obstacles) expect(crosses(segment, box)).toBe(false);
    }
  });

  it("refuses points with an unknown budget", async () => {
    await expect(
      renderScorePlot({ ...params, points: [{ label: "x", series: "s", x: Number.NaN, y: 1 }] }),
    ).rejects.toThrow(InvalidArgumentError);
  });
});
