import { MoaError } from "./moa-error.js";

const SYMBOL = Symbol.for("langgraph-moa.error.BudgetExceededError");

/** The caps of a run's budget. */
export interface BudgetLimit {
  maxCostUsd?: number;
  maxTokens?: number;
}

/** Tokens and cost spent (or estimated). */
export interface BudgetSpend {
  inputTokens: number;
  outputTokens: number;
  /** Cost of the priced calls. */
  costUsd: number;
  /** Models without a known price (their cost is unknown, not zero). */
  unpriced: string[];
}

/**
 * A run's budget (`budget.maxCostUsd` / `budget.maxTokens`) does not allow it: either the
 * pre-flight estimate cannot fit (`phase: "preflight"`, before any call) or the actual usage
 * crossed the cap during the run (`phase: "run"`, in-flight calls cancelled).
 */
export class BudgetExceededError extends MoaError {
  protected readonly [SYMBOL] = true;
  readonly phase: "preflight" | "run";
  readonly limit: BudgetLimit;
  /** The pre-flight upper-bound estimate (phase "preflight"). */
  readonly estimate?: BudgetSpend & { calls: number };
  /** What was spent when the run stopped (phase "run"). */
  readonly spent?: BudgetSpend;

  constructor(fields: {
    phase: "preflight" | "run";
    limit: BudgetLimit;
    message: string;
    estimate?: BudgetSpend & { calls: number };
    spent?: BudgetSpend;
  }) {
    super("BudgetExceededError", fields.message);
    this.phase = fields.phase;
    this.limit = fields.limit;
    this.estimate = fields.estimate;
    this.spent = fields.spent;
  }

  static override isInstance(error: unknown): error is BudgetExceededError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
