import { InvalidArgumentError } from "../../errors/index.js";

/**
 * A weighted design matrix with soft labels: row `i` counts as a positive with weight
 * `weights[i] · labels[i]` and as a negative with weight `weights[i] · (1 − labels[i])`, which is
 * how alpaca_eval feeds probabilities to scikit-learn (each row duplicated with both labels).
 */
export interface SoftLabelDesign {
  /** Number of rows. */
  rows: number;
  /** Number of features (no intercept is added). */
  dimensions: number;
  /** Row-major `rows × dimensions` features. */
  features: Float64Array;
  /** Soft labels in [0, 1]. */
  labels: Float64Array;
  /** Non-negative sample weights. */
  weights: Float64Array;
}

/** Options of {@link fitL1LogisticRegression}. */
export interface FitL1LogisticRegressionOptions {
  /** Rows to fit on (indices into the design). @default every row */
  subset?: Int32Array;
  /** Warm start. @default zeros */
  initial?: Float64Array;
  /** Stop when a full Newton step moves no coefficient by more than this (relative). @default 1e-13 */
  tolerance?: number;
  /** Outer (proximal Newton) iterations. @default 200 */
  maxIterations?: number;
}

/** A fitted model. */
export interface L1LogisticRegressionFit {
  /** The coefficients β. */
  coefficients: Float64Array;
  /** Proximal Newton iterations used. */
  iterations: number;
  /** Whether the step tolerance was reached. */
  converged: boolean;
  /** Largest violation of the optimality conditions at β (min-norm subgradient, ∞-norm). */
  optimality: number;
}

/**
 * Minimizes `‖β‖₁ + C · Σᵢ wᵢ · CE(yᵢ, σ(xᵢ·β))` — scikit-learn's `LogisticRegression(penalty="l1",
 * C, fit_intercept=False)` objective on soft labels — with a proximal Newton method: each step
 * solves the L1-penalized quadratic model exactly by coordinate descent, then backtracks on the
 * true objective. Quadratic convergence makes a tight tolerance cheap (liblinear, used upstream,
 * stops at 1e-4, which is where the small upstream/our differences in C choice come from).
 *
 * @example
 * ```ts
 * const fit = fitL1LogisticRegression(design, 0.359);
 * fit.coefficients; // Float64Array [ψ, φ, θ]
 * ```
 */
export function fitL1LogisticRegression(
  design: SoftLabelDesign,
  C: number,
  options: FitL1LogisticRegressionOptions = {},
): L1LogisticRegressionFit {
  if (!(C > 0) || !Number.isFinite(C)) {
    throw new InvalidArgumentError({
      parameter: "C",
      value: C,
      message: "must be a finite number > 0.",
    });
  }
  const { dimensions: dims, features, labels, weights } = design;
  const subset = options.subset ?? allRows(design.rows);
  const tolerance = options.tolerance ?? 1e-13;
  const maxIterations = options.maxIterations ?? 200;
  const m = subset.length;
  const beta = options.initial ? Float64Array.from(options.initial) : new Float64Array(dims);
  const z = new Float64Array(m);
  const q = new Float64Array(m);
  const gradient = new Float64Array(dims);
  const hessian = new Float64Array(dims * dims);
  const direction = new Float64Array(dims);
  const candidate = new Float64Array(dims);

  for (let k = 0; k < m; k += 1) {
    const offset = (subset[k] as number) * dims;
    let sum = 0;
    for (let j = 0; j < dims; j += 1) sum += (features[offset + j] as number) * (beta[j] as number);
    z[k] = sum;
  }
  let objective = C * weightedLoss(subset, labels, weights, z, q, 0) + l1Norm(beta);

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations += 1;
    gradient.fill(0);
    hessian.fill(0);
    for (let k = 0; k < m; k += 1) {
      const row = subset[k] as number;
      const weight = weights[row] as number;
      if (weight === 0) continue;
      const p = sigmoid(z[k] as number);
      const residual = C * weight * (p - (labels[row] as number));
      const curvature = C * weight * p * (1 - p);
      const offset = row * dims;
      for (let a = 0; a < dims; a += 1) {
        const xa = features[offset + a] as number;
        gradient[a] = (gradient[a] as number) + residual * xa;
        const scaled = curvature * xa;
        for (let b = 0; b <= a; b += 1) {
          hessian[a * dims + b] =
            (hessian[a * dims + b] as number) + scaled * (features[offset + b] as number);
        }
      }
    }
    for (let a = 0; a < dims; a += 1) {
      for (let b = 0; b < a; b += 1) hessian[b * dims + a] = hessian[a * dims + b] as number;
    }

    solveQuadraticSubproblem(beta, gradient, hessian, dims, direction);
    let decrease = l1Shift(beta, direction) - l1Norm(beta);
    for (let j = 0; j < dims; j += 1)
      decrease += (gradient[j] as number) * (direction[j] as number);
    let largest = 0;
    let scale = 1;
    for (let j = 0; j < dims; j += 1) {
      largest = Math.max(largest, Math.abs(direction[j] as number));
      scale = Math.max(scale, Math.abs(beta[j] as number));
    }
    if (largest === 0 || !(decrease < 0)) {
      converged = true;
      break;
    }

    for (let k = 0; k < m; k += 1) {
      const offset = (subset[k] as number) * dims;
      let sum = 0;
      for (let j = 0; j < dims; j += 1)
        sum += (features[offset + j] as number) * (direction[j] as number);
      q[k] = sum;
    }
    if (largest <= tolerance * scale) {
      // The Newton step is below the tolerance: take it (the quadratic model is exact to
      // rounding there) and stop.
      for (let j = 0; j < dims; j += 1) beta[j] = (beta[j] as number) + (direction[j] as number);
      converged = true;
      break;
    }
    if (largest <= 1e-6 * scale) {
      // Close to the optimum the objective's decrease (∝ step²) drops below its rounding error
      // long before β is exact, so a line search would stop early; proximal Newton converges
      // quadratically here without one.
      for (let j = 0; j < dims; j += 1) beta[j] = (beta[j] as number) + (direction[j] as number);
      for (let k = 0; k < m; k += 1) z[k] = (z[k] as number) + (q[k] as number);
      objective = C * weightedLoss(subset, labels, weights, z, q, 0) + l1Norm(beta);
      continue;
    }
    let step = 1;
    let trial = objective;
    let accepted = false;
    for (let halvings = 0; halvings < 60; halvings += 1) {
      for (let j = 0; j < dims; j += 1)
        candidate[j] = (beta[j] as number) + step * (direction[j] as number);
      trial = C * weightedLoss(subset, labels, weights, z, q, step) + l1Norm(candidate);
      if (trial <= objective + 1e-4 * step * decrease) {
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted || !(trial < objective)) {
      // No representable decrease left: β is optimal to machine precision.
      converged = true;
      break;
    }
    for (let j = 0; j < dims; j += 1) beta[j] = candidate[j] as number;
    for (let k = 0; k < m; k += 1) z[k] = (z[k] as number) + step * (q[k] as number);
    objective = trial;
  }
  return {
    coefficients: beta,
    iterations,
    converged,
    optimality: optimalityOf(design, subset, beta, C),
  };
}

/** Options of {@link crossValidateL1LogisticRegression}. */
export interface CrossValidateOptions {
  /** Candidate inverse regularization strengths, in the order tried. */
  Cs: readonly number[];
  /** Number of folds; row `r` is held out in fold `r mod folds`. @default 5 */
  folds?: number;
  /** Passed to every fit. */
  tolerance?: number;
}

/** The result of {@link crossValidateL1LogisticRegression}. */
export interface CrossValidationResult {
  /** The chosen C (first best mean held-out score). */
  C: number;
  /** Its index in `Cs`. */
  index: number;
  /** Mean held-out score per C (negative mean weighted cross-entropy; higher is better). */
  meanScores: number[];
  /** The model refitted on every row with the chosen C. */
  fit: L1LogisticRegressionFit;
}

/**
 * Chooses C by k-fold cross-validation — score = −mean over held-out rows of
 * `w · CE(y, clip(σ(x·β), 1e-15))`, averaged over folds, first maximum on ties — and refits on
 * all rows, like alpaca_eval's `fit_LogisticRegressionCV`. Each fold walks the C path in the
 * given order with warm starts, so the whole search costs a few dozen Newton steps per fold.
 *
 * @example
 * ```ts
 * const { C, fit } = crossValidateL1LogisticRegression(design, { Cs: logspace(-4, 4, 10) });
 * ```
 */
export function crossValidateL1LogisticRegression(
  design: SoftLabelDesign,
  options: CrossValidateOptions,
): CrossValidationResult {
  const folds = options.folds ?? 5;
  const { Cs } = options;
  if (Cs.length === 0)
    throw new InvalidArgumentError({ parameter: "Cs", value: Cs, message: "must not be empty." });
  const totals = new Float64Array(Cs.length);
  const foldCoefficients: Float64Array[][] = Cs.map(() => []);
  for (let fold = 0; fold < folds; fold += 1) {
    const train: number[] = [];
    const test: number[] = [];
    for (let row = 0; row < design.rows; row += 1) (row % folds === fold ? test : train).push(row);
    const trainRows = Int32Array.from(train);
    const testRows = Int32Array.from(test);
    let warm: Float64Array | undefined;
    for (const [index, C] of Cs.entries()) {
      const fit = fitL1LogisticRegression(design, C, {
        subset: trainRows,
        ...(warm ? { initial: warm } : {}),
        ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
      });
      warm = fit.coefficients;
      (foldCoefficients[index] as Float64Array[]).push(fit.coefficients);
      totals[index] = (totals[index] as number) + heldOutScore(design, testRows, fit.coefficients);
    }
  }
  const meanScores = Array.from(totals, (total) => total / folds);
  let best = 0;
  for (let index = 1; index < meanScores.length; index += 1) {
    if ((meanScores[index] as number) > (meanScores[best] as number)) best = index;
  }
  const start = new Float64Array(design.dimensions);
  for (const coefficients of foldCoefficients[best] as Float64Array[]) {
    for (let j = 0; j < start.length; j += 1)
      start[j] = (start[j] as number) + (coefficients[j] as number) / folds;
  }
  const fit = fitL1LogisticRegression(design, Cs[best] as number, {
    initial: start,
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
  });
  return { C: Cs[best] as number, index: best, meanScores, fit };
}

/** numpy's `logspace(start, stop, count)`: `count` powers of ten evenly spaced in exponent. */
export function logspace(start: number, stop: number, count: number): number[] {
  if (count === 1) return [10 ** start];
  // numpy.linspace: index · step + start, with the last point set to `stop` exactly.
  const step = (stop - start) / (count - 1);
  return Array.from(
    { length: count },
    (_, index) => 10 ** (index === count - 1 ? stop : index * step + start),
  );
}

/** The logistic function, computed as alpaca_eval does: `exp(−logaddexp(0, −x))`. */
export function logistic(x: number): number {
  const y = -x;
  const logAddExp = Math.max(0, y) + Math.log1p(Math.exp(-Math.abs(y)));
  return Math.exp(-logAddExp);
}

// Solves min_d gᵀd + ½dᵀHd + ‖β + d‖₁ exactly. In u = β + d the problem is
// min ½uᵀHu − cᵀu + ‖u‖₁ with c = Hβ − g; for small dimensions we enumerate the sign pattern of
// u (each coordinate −, 0 or +), solve H_AA u_A = c_A − s_A on the non-zero set A, and keep the
// sign-consistent candidate with the lowest objective: the optimum is one of them, and every
// candidate is feasible, so the lowest is the optimum. Larger problems use coordinate descent.
function solveQuadraticSubproblem(
  beta: Float64Array,
  gradient: Float64Array,
  hessian: Float64Array,
  dims: number,
  direction: Float64Array,
): void {
  const c = new Float64Array(dims);
  for (let j = 0; j < dims; j += 1) {
    let sum = -(gradient[j] as number);
    for (let k = 0; k < dims; k += 1)
      sum += (hessian[j * dims + k] as number) * (beta[k] as number);
    c[j] = sum;
  }
  const solution =
    dims <= 6
      ? solveBySignPatterns(hessian, c, dims)
      : solveByCoordinateDescent(hessian, c, dims, beta);
  for (let j = 0; j < dims; j += 1) direction[j] = (solution[j] as number) - (beta[j] as number);
}

function solveBySignPatterns(hessian: Float64Array, c: Float64Array, dims: number): Float64Array {
  let best = new Float64Array(dims);
  let bestValue = 0; // u = 0 is always a candidate, with objective 0
  const signs = new Int8Array(dims);
  const patterns = 3 ** dims;
  for (let pattern = 1; pattern < patterns; pattern += 1) {
    let code = pattern;
    const active: number[] = [];
    for (let j = 0; j < dims; j += 1) {
      const digit = code % 3;
      code = (code - digit) / 3;
      signs[j] = digit === 0 ? 0 : digit === 1 ? 1 : -1;
      if (digit !== 0) active.push(j);
    }
    const size = active.length;
    const matrix = new Float64Array(size * size);
    const rhs = new Float64Array(size);
    for (let a = 0; a < size; a += 1) {
      const row = active[a] as number;
      rhs[a] = (c[row] as number) - (signs[row] as number);
      for (let b = 0; b < size; b += 1)
        matrix[a * size + b] = hessian[row * dims + (active[b] as number)] as number;
    }
    const values = solveLinearSystem(matrix, rhs, size);
    if (!values) continue;
    const candidate = new Float64Array(dims);
    let consistent = true;
    for (let a = 0; a < size; a += 1) {
      const value = values[a] as number;
      const row = active[a] as number;
      if (value * (signs[row] as number) <= 0) {
        consistent = false;
        break;
      }
      candidate[row] = value;
    }
    if (!consistent) continue;
    const value = quadraticObjective(hessian, c, dims, candidate);
    if (value < bestValue) {
      bestValue = value;
      best = candidate;
    }
  }
  return best;
}

// ½uᵀHu − cᵀu + ‖u‖₁
function quadraticObjective(
  hessian: Float64Array,
  c: Float64Array,
  dims: number,
  u: Float64Array,
): number {
  let value = 0;
  for (let a = 0; a < dims; a += 1) {
    const ua = u[a] as number;
    if (ua === 0) continue;
    let row = 0;
    for (let b = 0; b < dims; b += 1) row += (hessian[a * dims + b] as number) * (u[b] as number);
    value += 0.5 * ua * row - (c[a] as number) * ua + Math.abs(ua);
  }
  return value;
}

// Gaussian elimination with partial pivoting; undefined when the matrix is singular.
function solveLinearSystem(
  matrix: Float64Array,
  rhs: Float64Array,
  size: number,
): Float64Array | undefined {
  const a = Float64Array.from(matrix);
  const b = Float64Array.from(rhs);
  for (let column = 0; column < size; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < size; row += 1) {
      if (Math.abs(a[row * size + column] as number) > Math.abs(a[pivot * size + column] as number))
        pivot = row;
    }
    const pivotValue = a[pivot * size + column] as number;
    if (!(Math.abs(pivotValue) > 1e-300)) return undefined;
    if (pivot !== column) {
      for (let k = 0; k < size; k += 1) {
        const swap = a[column * size + k] as number;
        a[column * size + k] = a[pivot * size + k] as number;
        a[pivot * size + k] = swap;
      }
      const swap = b[column] as number;
      b[column] = b[pivot] as number;
      b[pivot] = swap;
    }
    for (let row = column + 1; row < size; row += 1) {
      const factor = (a[row * size + column] as number) / pivotValue;
      if (factor === 0) continue;
      for (let k = column; k < size; k += 1)
        a[row * size + k] =
          (a[row * size + k] as number) - factor * (a[column * size + k] as number);
      b[row] = (b[row] as number) - factor * (b[column] as number);
    }
  }
  const x = new Float64Array(size);
  for (let row = size - 1; row >= 0; row -= 1) {
    let sum = b[row] as number;
    for (let k = row + 1; k < size; k += 1) sum -= (a[row * size + k] as number) * (x[k] as number);
    x[row] = sum / (a[row * size + row] as number);
  }
  return x;
}

function solveByCoordinateDescent(
  hessian: Float64Array,
  c: Float64Array,
  dims: number,
  start: Float64Array,
): Float64Array {
  const u = Float64Array.from(start);
  for (let sweep = 0; sweep < 10_000; sweep += 1) {
    let change = 0;
    let scale = 1;
    for (let j = 0; j < dims; j += 1) {
      const curvature = hessian[j * dims + j] as number;
      let slope = -(c[j] as number);
      for (let k = 0; k < dims; k += 1)
        slope += (hessian[j * dims + k] as number) * (u[k] as number);
      const current = u[j] as number;
      // A coordinate without curvature (its feature is zero on every row) cannot move.
      const next =
        curvature > 1e-300 ? softThreshold(current - slope / curvature, 1 / curvature) : current;
      u[j] = next;
      change = Math.max(change, Math.abs(next - current));
      scale = Math.max(scale, Math.abs(next));
    }
    if (change <= 1e-15 * scale) break;
  }
  return u;
}

function softThreshold(value: number, threshold: number): number {
  if (value > threshold) return value - threshold;
  if (value < -threshold) return value + threshold;
  return 0;
}

// Σ w·CE(y, σ(z + step·q)) over the subset; CE = softplus(u) − y·u, computed stably.
function weightedLoss(
  subset: Int32Array,
  labels: Float64Array,
  weights: Float64Array,
  z: Float64Array,
  q: Float64Array,
  step: number,
): number {
  let total = 0;
  for (let k = 0; k < subset.length; k += 1) {
    const row = subset[k] as number;
    const weight = weights[row] as number;
    if (weight === 0) continue;
    const u = (z[k] as number) + step * (q[k] as number);
    const softplus = u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
    total += weight * (softplus - (labels[row] as number) * u);
  }
  return total;
}

function heldOutScore(design: SoftLabelDesign, rows: Int32Array, beta: Float64Array): number {
  const { dimensions: dims, features, labels, weights } = design;
  let total = 0;
  for (let k = 0; k < rows.length; k += 1) {
    const row = rows[k] as number;
    let z = 0;
    for (let j = 0; j < dims; j += 1)
      z += (features[row * dims + j] as number) * (beta[j] as number);
    // scikit-learn's predict_proba (expit) then alpaca_eval's clipped log loss.
    const p = Math.min(Math.max(1 / (1 + Math.exp(-z)), 1e-15), 1 - 1e-15);
    const y = labels[row] as number;
    total += (weights[row] as number) * (y * Math.log(p) + (1 - y) * Math.log(1 - p));
  }
  return total / rows.length;
}

function optimalityOf(
  design: SoftLabelDesign,
  subset: Int32Array,
  beta: Float64Array,
  C: number,
): number {
  const { dimensions: dims, features, labels, weights } = design;
  const gradient = new Float64Array(dims);
  for (let k = 0; k < subset.length; k += 1) {
    const row = subset[k] as number;
    let z = 0;
    for (let j = 0; j < dims; j += 1)
      z += (features[row * dims + j] as number) * (beta[j] as number);
    const residual = C * (weights[row] as number) * (sigmoid(z) - (labels[row] as number));
    for (let j = 0; j < dims; j += 1)
      gradient[j] = (gradient[j] as number) + residual * (features[row * dims + j] as number);
  }
  let worst = 0;
  for (let j = 0; j < dims; j += 1) {
    const g = gradient[j] as number;
    const b = beta[j] as number;
    const violation =
      b > 0 ? Math.abs(g + 1) : b < 0 ? Math.abs(g - 1) : Math.max(0, Math.abs(g) - 1);
    worst = Math.max(worst, violation);
  }
  return worst;
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function l1Norm(values: Float64Array): number {
  let total = 0;
  for (let j = 0; j < values.length; j += 1) total += Math.abs(values[j] as number);
  return total;
}

function l1Shift(beta: Float64Array, direction: Float64Array): number {
  let total = 0;
  for (let j = 0; j < beta.length; j += 1)
    total += Math.abs((beta[j] as number) + (direction[j] as number));
  return total;
}

function allRows(rows: number): Int32Array {
  const indices = new Int32Array(rows);
  for (let index = 0; index < rows; index += 1) indices[index] = index;
  return indices;
}
