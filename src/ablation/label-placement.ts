/** A point label to place, in plot pixels (y grows downwards). */
export interface LabelAnchor {
  /** The marker's centre. */
  x: number;
  y: number;
  /** The label's text box. */
  width: number;
  height: number;
}

/** A line segment labels must not cover (the Pareto front, an error bar). */
export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Where a label goes relative to its marker: Vega text `dx`/`dy`/`align`/`baseline`. */
export interface LabelPlacement {
  dx: number;
  dy: number;
  align: "left" | "center" | "right";
  baseline: "top" | "middle" | "bottom";
  /** False when every candidate overlapped something and the least-bad one was taken. */
  clear: boolean;
}

/** A box in plot pixels. */
interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Candidate positions, in order of preference: beside the marker first, then above/below. */
const CANDIDATES: readonly Omit<LabelPlacement, "clear">[] = [
  { dx: 7, dy: -3, align: "left", baseline: "bottom" },
  { dx: 7, dy: 3, align: "left", baseline: "top" },
  { dx: -7, dy: -3, align: "right", baseline: "bottom" },
  { dx: -7, dy: 3, align: "right", baseline: "top" },
  { dx: 0, dy: -9, align: "center", baseline: "bottom" },
  { dx: 0, dy: 9, align: "center", baseline: "top" },
  { dx: 9, dy: 0, align: "left", baseline: "middle" },
  { dx: -9, dy: 0, align: "right", baseline: "middle" },
  { dx: 7, dy: -14, align: "left", baseline: "bottom" },
  { dx: 7, dy: 14, align: "left", baseline: "top" },
  { dx: -7, dy: -14, align: "right", baseline: "bottom" },
  { dx: -7, dy: 14, align: "right", baseline: "top" },
];

/**
 * Places point labels so they overlap neither each other, nor any marker, nor the given segments
 * (the Pareto line, error bars), inside the plot area: each label, left to right, takes the first
 * free candidate position around its marker; when none is free, the one with the least overlap.
 * Pure geometry on estimated text boxes.
 *
 * @example
 * ```ts
 * placeLabels([{ x: 10, y: 10, width: 20, height: 12 }], { markerRadius: 5, segments: [], width: 100, height: 100 });
 * // [{ dx: 7, dy: -3, align: "left", baseline: "bottom", clear: true }]
 * ```
 */
export function placeLabels(
  anchors: readonly LabelAnchor[],
  scene: { markerRadius: number; segments: readonly Segment[]; width: number; height: number },
): LabelPlacement[] {
  const markers: Box[] = anchors.map(({ x, y }) => ({
    left: x - scene.markerRadius,
    top: y - scene.markerRadius,
    right: x + scene.markerRadius,
    bottom: y + scene.markerRadius,
  }));
  const placed: Box[] = [];
  const placements: LabelPlacement[] = new Array(anchors.length);
  const order = anchors.map((_, index) => index).sort((a, b) => anchors[a]!.x - anchors[b]!.x);
  for (const index of order) {
    const anchor = anchors[index]!;
    let best: { candidate: (typeof CANDIDATES)[number]; box: Box; cost: number } | undefined;
    for (const candidate of CANDIDATES) {
      const box = labelBox(anchor, candidate);
      const cost =
        outside(box, scene.width, scene.height) * 4 +
        placed.filter((other) => intersects(box, other)).length * 3 +
        markers.filter((marker) => intersects(box, marker)).length * 2 +
        scene.segments.filter((segment) => crosses(segment, box)).length;
      if (best === undefined || cost < best.cost) best = { candidate, box, cost };
      if (cost === 0) break;
    }
    placed.push(best!.box);
    placements[index] = { ...best!.candidate, clear: best!.cost === 0 };
  }
  return placements;
}

/** The text box of a label at `candidate` around `anchor` (with a 1 px margin). */
export function labelBox(
  anchor: LabelAnchor,
  candidate: Pick<LabelPlacement, "dx" | "dy" | "align" | "baseline">,
): Box {
  const x = anchor.x + candidate.dx;
  const y = anchor.y + candidate.dy;
  const left =
    candidate.align === "left"
      ? x
      : candidate.align === "right"
        ? x - anchor.width
        : x - anchor.width / 2;
  const top =
    candidate.baseline === "top"
      ? y
      : candidate.baseline === "bottom"
        ? y - anchor.height
        : y - anchor.height / 2;
  return {
    left: left - 1,
    top: top - 1,
    right: left + anchor.width + 1,
    bottom: top + anchor.height + 1,
  };
}

function outside(box: Box, width: number, height: number): number {
  return box.left < 0 || box.top < 0 || box.right > width || box.bottom > height ? 1 : 0;
}

function intersects(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** Whether a segment passes through a box (Liang–Barsky clipping). */
export function crosses(segment: Segment, box: Box): boolean {
  const dx = segment.x2 - segment.x1;
  const dy = segment.y2 - segment.y1;
  let low = 0;
  let high = 1;
  for (const [p, q] of [
    [-dx, segment.x1 - box.left],
    [dx, box.right - segment.x1],
    [-dy, segment.y1 - box.top],
    [dy, box.bottom - segment.y1],
  ] as const) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) low = Math.max(low, t);
      else high = Math.min(high, t);
      if (low > high) return false;
    }
  }
  return true;
}
