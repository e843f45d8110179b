import { PlottingUnavailableError } from "./plotting-unavailable-error.js";

/** The optional peer dependencies plotting loads, in the order {@link loadPlottingStack} imports them. */
export const PLOTTING_PACKAGES = ["vega-lite", "vega", "@resvg/resvg-js"] as const;

/** The loaded plotting modules. */
export interface PlottingStack {
  vegaLite: typeof import("vega-lite");
  vega: typeof import("vega");
  resvg: typeof import("@resvg/resvg-js");
}

/**
 * Imports the plotting packages on first use (they are large and most commands never draw).
 * Throws a {@link PlottingUnavailableError} naming every package that cannot be loaded.
 */
export async function loadPlottingStack(): Promise<PlottingStack> {
  const [vegaLite, vega, resvg] = await Promise.allSettled([
    import("vega-lite"),
    import("vega"),
    import("@resvg/resvg-js"),
  ]);
  if (
    vegaLite.status === "fulfilled" &&
    vega.status === "fulfilled" &&
    resvg.status === "fulfilled"
  ) {
    return { vegaLite: vegaLite.value, vega: vega.value, resvg: resvg.value };
  }
  const results = [vegaLite, vega, resvg];
  const failed = results.flatMap((result, index) =>
    result.status === "rejected"
      ? [{ name: PLOTTING_PACKAGES[index]!, reason: result.reason }]
      : [],
  );
  throw new PlottingUnavailableError({
    packages: failed.map((entry) => entry.name),
    cause: failed[0]!.reason,
  });
}
