import { MoaError } from "../errors/index.js";

const SYMBOL = Symbol.for("langgraph-moa.error.PlottingUnavailableError");

/**
 * A plot was asked for (`renderScorePlot`, an ablation study's `plot`) but the optional plotting
 * packages (`vega`, `vega-lite`, `@resvg/resvg-js`, peer dependencies of langgraph-moa) cannot be
 * loaded. The message names the missing packages and the `npm install` command that adds them.
 */
export class PlottingUnavailableError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** The packages that failed to load, e.g. `["vega", "@resvg/resvg-js"]`. */
  readonly packages: readonly string[];

  constructor(fields: { packages: readonly string[]; cause?: unknown }) {
    const list = fields.packages.map((name) => `\`${name}\``).join(", ");
    super(
      "PlottingUnavailableError",
      `Plotting needs the optional peer dependencies ${list}, which cannot be loaded. ` +
        `Install them with \`npm install ${fields.packages.join(" ")}\`, or leave out the plot.`,
      { cause: fields.cause },
    );
    this.packages = fields.packages;
  }

  /** True when `error` is a {@link PlottingUnavailableError}, even across two package copies. */
  static override isInstance(error: unknown): error is PlottingUnavailableError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
