import type { TopLevelSpec } from "vega-lite";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { placeLabels, type LabelPlacement, type Segment } from "./label-placement.js";
import { loadPlottingStack } from "./plotting-stack.js";
import { paretoFront } from "./pareto-front.js";

/** One variant on a score-versus-budget plot. */
export interface ScorePlotPoint {
  /** Short label drawn next to the point (the variant id). */
  label: string;
  /** Line of the study (colour and shape). */
  series: string;
  /** Budget: cost, TFLOPs, latency. */
  x: number;
  /** Score. */
  y: number;
  /** Standard error of the score: drawn as a ±1.96 SE (95 %) error bar. */
  standardError?: number;
}

/** Parameters of {@link scorePlotSpec} and {@link renderScorePlot}. */
export interface ScorePlotParams {
  points: readonly ScorePlotPoint[];
  /** Title above the plot. */
  title: string;
  /** Lines under the title (e.g. "simulated: synthetic numbers"). */
  subtitle?: string | string[];
  /** x-axis title, e.g. `cost per query (USD, list prices)`. */
  xTitle: string;
  /** y-axis title, e.g. `LC win rate (%)`. */
  yTitle: string;
  /**
   * Logarithmic x axis. @default true when every x is positive and they span 10× or more
   */
  logX?: boolean;
  /** Plot area width in pixels (the image is larger by its axes and legend). @default 640 */
  width?: number;
  /** Plot area height in pixels. @default 400 */
  height?: number;
  /**
   * Where each point's label goes, by index of `points`; {@link renderScorePlot} computes them
   * from a first layout so labels clear each other, the markers, the error bars and the Pareto
   * line. @default beside each point, up and to the right
   */
  labelPlacements?: readonly Omit<LabelPlacement, "clear">[];
}

/** A rendered plot. */
export interface RenderedScorePlot {
  /** The Vega-Lite specification it was rendered from. */
  spec: TopLevelSpec;
  /** SVG text. */
  svg: string;
  /** PNG bytes, rendered from the SVG at {@link PNG_SCALE}× its size. */
  png: Uint8Array;
  /** SVG size in CSS pixels. */
  width: number;
  height: number;
  /** PNG size in pixels (`PNG_SCALE` × the SVG size). */
  pngWidth: number;
  pngHeight: number;
  /** Point marks drawn (one per variant), counted in the rendered scenegraph. */
  pointMarks: number;
  /** Indices of `points` on the Pareto front. */
  front: number[];
  /**
   * The drawn labels' boxes in plot-area pixels (Vega's estimate of the text size), and whether
   * each found a spot clear of other labels, markers, error bars and the Pareto line.
   */
  labels: { label: string; x1: number; y1: number; x2: number; y2: number; clear: boolean }[];
  /** The Pareto line's segments and the error bars, in the same pixels. */
  obstacles: Segment[];
}

/** Name of the point layer; Vega names its marks `points_marks`. */
export const POINT_LAYER_NAME = "points";

/** Names of the label, Pareto line and error bar layers (Vega marks `<name>_marks`). */
const LABEL_LAYER_NAME = "labels";
const FRONT_LAYER_NAME = "front";
const ERROR_BAR_LAYER_NAME = "error_bars";

/** Half-width of a 95 % normal interval in standard errors. */
const Z_95 = 1.959963984540054;

/** Point marker area in px² (Vega `size`), and its radius. */
const MARKER_SIZE = 90;
const MARKER_RADIUS = Math.sqrt(MARKER_SIZE / Math.PI);

/** PNG pixels per SVG pixel: crisp on high-density screens and in documents. */
export const PNG_SCALE = 2;

const FONT = "DejaVu Sans";

const DEFAULT_PLACEMENT: Omit<LabelPlacement, "clear"> = {
  dx: 7,
  dy: -3,
  align: "left",
  baseline: "bottom",
};

/**
 * The Vega-Lite specification of a score-versus-budget plot: one labelled point per variant,
 * coloured by series, with a 95 % error bar (±1.96 standard errors) where the score has one, and
 * the Pareto front (cheapest points not beaten by a cheaper one) drawn as a dashed line through
 * its points.
 */
export function scorePlotSpec(params: ScorePlotParams): TopLevelSpec {
  const { points } = params;
  const front = new Set(paretoFront(points.map(({ x, y }) => ({ x, y }))));
  const values = points.map((point, index) => {
    const placement = params.labelPlacements?.[index] ?? DEFAULT_PLACEMENT;
    const error =
      point.standardError !== undefined && Number.isFinite(point.standardError)
        ? Z_95 * point.standardError
        : undefined;
    return {
      ...point,
      front: front.has(index),
      ...(error !== undefined ? { yLow: point.y - error, yHigh: point.y + error } : {}),
      labelDx: placement.dx,
      labelDy: placement.dy,
      labelAlign: placement.align,
      labelBaseline: placement.baseline,
    };
  });
  const hasErrorBars = values.some((value) => value.yLow !== undefined);
  const subtitle = [
    ...(params.subtitle === undefined
      ? []
      : Array.isArray(params.subtitle)
        ? params.subtitle
        : [params.subtitle]),
    ...(hasErrorBars ? ["bars: 95% interval (±1.96 standard errors)"] : []),
  ];
  const positive = points.length > 0 && points.every((point) => point.x > 0);
  const xs = points.map((point) => point.x);
  const logX =
    params.logX ?? (positive && Math.max(...xs) / Math.max(Math.min(...xs), 1e-300) >= 10);
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: params.xTitle,
    scale: logX ? { type: "log" as const } : { zero: false },
  };
  const y = {
    field: "y",
    type: "quantitative" as const,
    title: params.yTitle,
    scale: { zero: false, padding: 12 },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: params.title,
      ...(subtitle.length ? { subtitle } : {}),
      anchor: "start",
    },
    width: params.width ?? 640,
    height: params.height ?? 400,
    background: "white",
    config: {
      font: FONT,
      axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: "#e6e6e6" },
      legend: {
        labelFontSize: 11,
        titleFontSize: 11,
        labelLimit: 400,
        orient: "bottom",
        direction: "horizontal",
      },
      title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: "#555" },
    },
    data: { values },
    layer: [
      {
        name: FRONT_LAYER_NAME,
        transform: [{ filter: "datum.front" }],
        mark: { type: "line", strokeDash: [6, 4], color: "#666", strokeWidth: 1.5 },
        encoding: { x, y, order: { field: "x", type: "quantitative" } },
      },
      ...(hasErrorBars
        ? [
            {
              name: ERROR_BAR_LAYER_NAME,
              transform: [{ filter: "isValid(datum.yLow)" }],
              mark: { type: "rule", strokeWidth: 1.5, opacity: 0.7 },
              encoding: {
                x,
                y: { ...y, field: "yLow" },
                y2: { field: "yHigh" },
                color: { field: "series", type: "nominal", title: null },
              },
            },
          ]
        : []),
      {
        name: POINT_LAYER_NAME,
        mark: { type: "point", filled: true, size: MARKER_SIZE, opacity: 0.9 },
        encoding: {
          x,
          y,
          color: { field: "series", type: "nominal", title: null },
          shape: { field: "series", type: "nominal", title: null },
          tooltip: [
            { field: "label", title: "variant" },
            { field: "x", title: params.xTitle },
            { field: "y", title: params.yTitle },
            ...(hasErrorBars ? [{ field: "standardError", title: "standard error" }] : []),
          ],
        },
      },
      {
        name: LABEL_LAYER_NAME,
        mark: {
          type: "text",
          fontSize: 10,
          dx: { expr: "datum.labelDx" },
          dy: { expr: "datum.labelDy" },
          align: { expr: "datum.labelAlign" },
          baseline: { expr: "datum.labelBaseline" },
        },
        encoding: { x, y, text: { field: "label" } },
      },
    ],
  } as TopLevelSpec;
}

/**
 * Renders a score-versus-budget plot server-side: Vega-Lite → Vega → SVG (headless Vega view),
 * then SVG → PNG with resvg (DejaVu Sans from the system fonts). Nothing is drawn by hand.
 * `vega`, `vega-lite` and `@resvg/resvg-js` are optional peer dependencies, loaded on first call;
 * without them this throws a `PlottingUnavailableError` naming the `npm install` command.
 *
 * @example
 * ```ts
 * const plot = await renderScorePlot({
 *   points: [{ label: "l1", series: "layers", x: 0.0004, y: 43.9 }, { label: "l2", series: "layers", x: 0.003, y: 61.3 }],
 *   title: "layers study", xTitle: "cost per query (USD)", yTitle: "LC win rate (%)",
 * });
 * await writeFile("plot.svg", plot.svg);
 * await writeFile("plot.png", plot.png);
 * ```
 */
export async function renderScorePlot(params: ScorePlotParams): Promise<RenderedScorePlot> {
  for (const [index, point] of params.points.entries()) {
    if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) {
      throw new InvalidArgumentError({
        parameter: `points[${index}]`,
        value: point,
        message: "needs finite `x` and `y`; leave out variants whose budget or score is unknown.",
      });
    }
  }
  const {
    vegaLite,
    vega,
    resvg: { Resvg },
  } = await loadPlottingStack();
  const layout = async (spec: TopLevelSpec) => {
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
    await view.runAsync();
    return view;
  };
  // First layout: where the markers, error bars and Pareto line fall; then each label is moved
  // to a spot clear of them and of the other labels, and the plot laid out again.
  const first = await layout(scorePlotSpec(params));
  const firstScene = readScene(first);
  first.finalize();
  const placements = placeLabels(
    firstScene.labels.map((box, index) => ({
      x: firstScene.points[index]!.x,
      y: firstScene.points[index]!.y,
      width: box.x2 - box.x1,
      height: box.y2 - box.y1,
    })),
    {
      markerRadius: MARKER_RADIUS,
      segments: firstScene.obstacles,
      width: firstScene.width,
      height: firstScene.height,
    },
  );
  const spec = scorePlotSpec({ ...params, labelPlacements: placements });
  const view = await layout(spec);
  try {
    const svg = await view.toSVG();
    const scene = readScene(view);
    const pointMarks = scene.points.length;
    const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
    const width = Number(size?.[1] ?? 0);
    const height = Number(size?.[2] ?? 0);
    const rendered = new Resvg(svg, {
      font: { loadSystemFonts: true, defaultFontFamily: FONT },
      fitTo: { mode: "zoom", value: PNG_SCALE },
      background: "white",
    }).render();
    return {
      spec,
      svg,
      png: new Uint8Array(rendered.asPng()),
      width,
      height,
      pngWidth: rendered.width,
      pngHeight: rendered.height,
      pointMarks,
      front: paretoFront(params.points.map(({ x, y }) => ({ x, y }))),
      labels: scene.labels.map((box, index) => ({
        label: params.points[index]!.label,
        ...box,
        clear: placements[index]!.clear,
      })),
      obstacles: scene.obstacles,
    };
  } finally {
    view.finalize();
  }
}

interface SceneNode {
  marktype?: string;
  name?: string;
  items?: SceneNode[];
  x?: number;
  y?: number;
  y2?: number;
  width?: number;
  height?: number;
  datum?: { label?: string };
  bounds?: { x1: number; y1: number; x2: number; y2: number };
}

/** The items of the scenegraph mark named `name`, wherever it is. */
function markItems(node: SceneNode | undefined, name: string): SceneNode[] {
  if (node === undefined) return [];
  if (node.marktype !== undefined && node.name === name) return node.items ?? [];
  return (node.items ?? []).flatMap((item) => markItems(item, name));
}

/**
 * What a laid-out plot drew, in plot-area pixels: the markers and label boxes in the order of
 * the points (Vega keeps data order), the Pareto line's segments and the error bars.
 */
function readScene(view: { scenegraph(): unknown; width(): number; height(): number }) {
  const root = (view.scenegraph() as { root: SceneNode }).root;
  const points = markItems(root, `${POINT_LAYER_NAME}_marks`).map((item) => ({
    x: item.x ?? 0,
    y: item.y ?? 0,
  }));
  const labels = markItems(root, `${LABEL_LAYER_NAME}_marks`).map((item) => ({
    x1: item.bounds?.x1 ?? 0,
    y1: item.bounds?.y1 ?? 0,
    x2: item.bounds?.x2 ?? 0,
    y2: item.bounds?.y2 ?? 0,
  }));
  const line = markItems(root, `${FRONT_LAYER_NAME}_marks`);
  const obstacles: Segment[] = [
    ...line.slice(1).map((item, index) => ({
      x1: line[index]!.x ?? 0,
      y1: line[index]!.y ?? 0,
      x2: item.x ?? 0,
      y2: item.y ?? 0,
    })),
    ...markItems(root, `${ERROR_BAR_LAYER_NAME}_marks`).map((item) => ({
      x1: item.x ?? 0,
      y1: item.y ?? 0,
      x2: item.x ?? 0,
      y2: item.y2 ?? 0,
    })),
  ];
  return { points, labels, obstacles, width: view.width(), height: view.height() };
}
