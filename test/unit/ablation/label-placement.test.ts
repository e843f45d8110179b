import { describe, expect, it } from "vitest";
import {
  crosses,
  labelBox,
  placeLabels,
  type LabelAnchor,
  type Segment,
} from "../../../src/ablation/label-placement.js";

const scene = (segments: Segment[] = []) => ({
  markerRadius: 5,
  segments,
  width: 400,
  height: 300,
});
const anchor = (x: number, y: number, width = 40): LabelAnchor => ({ x, y, width, height: 10 });

describe("placeLabels", () => {
  it.each<[string, LabelAnchor[], Segment[], string[]]>([
    ["a lone point: up and to the right", [anchor(100, 100)], [], ["left/bottom"]],
    ["a point at the right edge: to the left", [anchor(390, 100)], [], ["right/bottom"]],
    [
      "two points on top of each other: the second below",
      [anchor(100, 100), anchor(101, 101)],
      [],
      ["left/bottom", "left/top"],
    ],
    [
      "a Pareto line rising through the upper right: below it",
      [anchor(100, 100)],
      [{ x1: 100, y1: 100, x2: 200, y2: 60 }],
      ["left/top"],
    ],
    [
      "an error bar of a neighbour to the right: to the left",
      [anchor(100, 100)],
      [
        { x1: 120, y1: 60, x2: 120, y2: 140 },
        { x1: 100, y1: 80, x2: 100, y2: 120 },
      ],
      ["right/bottom"],
    ],
  ])("places %s", (_name, anchors, segments, expected) => {
    const placements = placeLabels(anchors, scene(segments));
    expect(placements.map((p) => `${p.align}/${p.baseline}`)).toEqual(expected);
    expect(placements.every((p) => p.clear)).toBe(true);
  });

  it("keeps labels off other markers", () => {
    // A neighbour's marker sits where the first choice would put the label.
    const [placement] = placeLabels([anchor(100, 100), anchor(130, 92, 10)], scene());
    const box = labelBox(anchor(100, 100), placement!);
    const marker = { left: 125, top: 87, right: 135, bottom: 97 };
    const overlaps =
      box.left < marker.right &&
      marker.left < box.right &&
      box.top < marker.bottom &&
      marker.top < box.bottom;
    expect(overlaps).toBe(false);
    expect(placement).toMatchObject({ align: "left", baseline: "top", clear: true });
  });

  it("takes the least-bad spot, marked not clear, when every spot is taken", () => {
    const walls = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((index) => ({
      x1: 50,
      y1: 70 + index * 8,
      x2: 150,
      y2: 70 + index * 8,
    }));
    const [placement] = placeLabels([anchor(100, 100)], scene(walls));
    expect(placement!.clear).toBe(false);
  });
});

describe("crosses", () => {
  const box = { left: 0, top: 0, right: 10, bottom: 10 };
  it.each<[string, Segment, boolean]>([
    ["a segment through the box", { x1: -5, y1: 5, x2: 15, y2: 5 }, true],
    ["a segment inside the box", { x1: 2, y1: 2, x2: 3, y2: 3 }, true],
    ["a diagonal missing the corner", { x1: 8, y1: -5, x2: 15, y2: 2 }, false],
    ["a vertical segment beside the box", { x1: 12, y1: -5, x2: 12, y2: 15 }, false],
    ["a segment ending before the box", { x1: -10, y1: 5, x2: -1, y2: 5 }, false],
  ])("detects %s", (_name, segment, expected) => {
    expect(crosses(segment, box)).toBe(expected);
  });
});
