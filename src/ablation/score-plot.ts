import type { TopLevelSpec } from "vega-lite";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
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
}

/** Name of the point layer; Vega names its marks `points_marks`. */
export const POINT_LAYER_NAME = "points";

/** PNG pixels per SVG pixel: crisp on high-density screens and in documents. */
export const PNG_SCALE = 2;

const FONT = "DejaVu Sans";

/**
 * The Vega-Lite specification of a score-versus-budget plot: one labelled point per variant,
 * coloured by series, and the Pareto front (cheapest points not beaten by a cheaper one) drawn as
 * a dashed line through its points.
 */
export function scorePlotSpec(params: ScorePlotParams): TopLevelSpec {
  const { points } = params;
  const front = new Set(paretoFront(points.map(({ x, y }) => ({ x, y }))));
  const values = points.map((point, index) => ({ ...point, front: front.has(index) }));
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
      ...(params.subtitle ? { subtitle: params.subtitle } : {}),
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
        transform: [{ filter: "datum.front" }],
        mark: { type: "line", strokeDash: [6, 4], color: "#666", strokeWidth: 1.5 },
        encoding: { x, y, order: { field: "x", type: "quantitative" } },
      },
      {
        name: POINT_LAYER_NAME,
        mark: { type: "point", filled: true, size: 90, opacity: 0.9 },
        encoding: {
          x,
          y,
          color: { field: "series", type: "nominal", title: null },
          shape: { field: "series", type: "nominal", title: null },
          tooltip: [
            { field: "label", title: "variant" },
            { field: "x", title: params.xTitle },
            { field: "y", title: params.yTitle },
          ],
        },
      },
      {
        mark: { type: "text", align: "left", baseline: "bottom", dx: 6, dy: -4, fontSize: 10 },
        encoding: { x, y, text: { field: "label" } },
      },
    ],
  } as TopLevelSpec;
}

/**
 * Renders a score-versus-budget plot server-side: Vega-Lite → Vega → SVG (headless Vega view),
 * then SVG → PNG with resvg (DejaVu Sans from the system fonts). Nothing is drawn by hand.
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
  // Loaded on first use: the plotting stack is large and most CLI commands never draw.
  const [vegaLite, vega, { Resvg }] = await Promise.all([
    import("vega-lite"),
    import("vega"),
    import("@resvg/resvg-js"),
  ]);
  const spec = scorePlotSpec(params);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const pointMarks = countMarks(
      (view.scenegraph() as unknown as { root: SceneNode }).root,
      `${POINT_LAYER_NAME}_marks`,
    );
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
    };
  } finally {
    view.finalize();
  }
}

interface SceneNode {
  marktype?: string;
  name?: string;
  items?: SceneNode[];
}

/** Items of the scenegraph marks named `name` (the drawn points of one layer). */
function countMarks(node: SceneNode | undefined, name: string): number {
  if (node === undefined) return 0;
  if (node.marktype !== undefined && node.name === name) return node.items?.length ?? 0;
  return (node.items ?? []).reduce((total, item) => total + countMarks(item, name), 0);
}
