/** A point of a quality-versus-budget plot. */
export interface BudgetPoint {
  /** Budget (cost, TFLOPs, latency): lower is better. */
  x: number;
  /** Score: higher is better. */
  y: number;
}

/**
 * Indices of the Pareto-optimal points: no other point is at least as cheap and at least as good
 * while strictly better in one of the two. Returned in increasing `x`; ties in both coordinates
 * keep the first point only.
 *
 * @example
 * ```ts
 * paretoFront([{ x: 1, y: 40 }, { x: 2, y: 35 }, { x: 3, y: 60 }]); // [0, 2]
 * ```
 */
export function paretoFront(points: readonly BudgetPoint[]): number[] {
  const order = points
    .map((point, index) => ({ ...point, index }))
    .filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y))
    .sort((a, b) => a.x - b.x || b.y - a.y || a.index - b.index);
  const front: number[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (const point of order) {
    if (point.y > best) {
      front.push(point.index);
      best = point.y;
    }
  }
  return front;
}
