import type { BaseMessage } from "@langchain/core/messages";
import { estimateMessageTokens } from "../context/estimate-tokens.js";
import { BudgetExceededError, type BudgetSpend } from "../errors/budget-exceeded-error.js";
import type { MoaPlan, ResolvedBudget, ResolvedProposer } from "../plan/proposer-spec.js";
import type { Usage } from "../state/proposal.js";
import { priceTokens, type TokenPrice } from "../models/price-table.js";
import { estimateRun, type RunEstimate } from "../plan/estimate-run.js";

/** The price of a proposer's calls: by its id, else its model name; `undefined` when unknown. */
export function priceFor(
  budget: ResolvedBudget,
  proposer: ResolvedProposer,
): TokenPrice | undefined {
  return budget.prices[proposer.id] ?? budget.prices[proposer.modelName];
}

/** A running tally of what a turn spent. */
export class SpendTally {
  readonly spend: BudgetSpend = { inputTokens: 0, outputTokens: 0, costUsd: 0, unpriced: [] };

  constructor(private readonly budget: ResolvedBudget) {}

  /**
   * Raises the tally to at least `spend` (what the turn had spent before, as recorded in
   * state): a coordinator created after a restart starts where the turn was.
   */
  seed(spend: BudgetSpend): void {
    this.spend.inputTokens = Math.max(this.spend.inputTokens, spend.inputTokens);
    this.spend.outputTokens = Math.max(this.spend.outputTokens, spend.outputTokens);
    this.spend.costUsd = Math.max(this.spend.costUsd, spend.costUsd);
    for (const id of spend.unpriced)
      if (!this.spend.unpriced.includes(id)) this.spend.unpriced.push(id);
  }

  /** Adds one call's usage. */
  add(proposer: ResolvedProposer, usage: Usage | undefined): void {
    if (!usage) return;
    this.spend.inputTokens += usage.inputTokens;
    this.spend.outputTokens += usage.outputTokens;
    const price = priceFor(this.budget, proposer);
    if (price) this.spend.costUsd += priceTokens(price, usage.inputTokens, usage.outputTokens);
    else if (!this.spend.unpriced.includes(proposer.id)) this.spend.unpriced.push(proposer.id);
  }

  /** True once the spend is above a cap. */
  exceeded(): boolean {
    const { maxCostUsd, maxTokens } = this.budget;
    return (
      (maxTokens !== undefined && this.spend.inputTokens + this.spend.outputTokens > maxTokens) ||
      (maxCostUsd !== undefined && this.spend.costUsd > maxCostUsd)
    );
  }

  /** The typed error for a crossed cap, with the spend so far. */
  error(): BudgetExceededError {
    const { maxCostUsd, maxTokens } = this.budget;
    const { inputTokens, outputTokens, costUsd } = this.spend;
    return new BudgetExceededError({
      phase: "run",
      limit: { maxCostUsd, maxTokens },
      spent: { ...this.spend, unpriced: [...this.spend.unpriced] },
      message:
        `The run crossed its budget and was stopped: spent ${inputTokens + outputTokens} tokens ` +
        `(${inputTokens} in / ${outputTokens} out) and $${costUsd.toFixed(6)}` +
        `${limitText(maxCostUsd, maxTokens)}. Raise \`budget.maxCostUsd\` / \`budget.maxTokens\` or use fewer or cheaper proposers.`,
    });
  }
}

/**
 * The tally of what a turn's recorded proposals spent (to resume the count after a restart).
 */
export function tallyProposals(
  plan: MoaPlan,
  proposals: readonly { layer: number; proposerIndex: number; usage?: Usage }[],
): SpendTally {
  const tally = new SpendTally(plan.budget!);
  for (const proposal of proposals) {
    const proposer = plan.proposerLayers[proposal.layer - 1]?.[proposal.proposerIndex];
    if (proposer) tally.add(proposer, proposal.usage);
  }
  return tally;
}

/** The two pre-flight estimates of a run (see {@link estimateBudgetedRun}). */
export interface BudgetEstimates {
  /** Every call writes its full output cap: the run cannot cost more than this. */
  upper: RunEstimate;
  /** Every call writes `budget.expectedOutputTokens` (or its cap, when smaller). */
  expected: RunEstimate;
}

/**
 * Both pre-flight estimates of a budgeted run before any call: the upper bound (every call at its
 * cap, `maxTokens` or `budget.assumedOutputTokens`) and the expectation (every call at
 * `budget.expectedOutputTokens`, capped).
 */
export function estimateBudgetedRun(
  plan: MoaPlan,
  budget: ResolvedBudget,
  messages: readonly BaseMessage[],
): BudgetEstimates {
  const caller = (proposer: ResolvedProposer) => ({
    id: proposer.id,
    samples: proposer.samples,
    maxOutputTokens: proposer.maxOutputTokens ?? budget.assumedOutputTokens,
    price: priceFor(budget, proposer),
  });
  const input = {
    promptTokens: estimateMessageTokens(messages),
    proposerLayers: plan.proposerLayers.map((layer) => layer.map(caller)),
    aggregator: caller(plan.aggregator),
  };
  return {
    upper: estimateRun(input),
    expected: estimateRun({ ...input, expectedOutputTokens: budget.expectedOutputTokens }),
  };
}

/**
 * Pre-flight check before any call: refuses a run whose estimate cannot fit the budget, or whose
 * cost cap cannot be enforced because a model has no known price. `budget.check` picks the
 * estimate that gates: `"expected"` (typical output lengths) or `"upper"` (every call at its
 * cap). Either way the running tally ({@link SpendTally}) stops the run once a cap is crossed.
 */
export function checkBudgetBeforeRun(plan: MoaPlan, messages: readonly BaseMessage[]): void {
  const budget = plan.budget;
  if (!budget) return;
  const estimates = estimateBudgetedRun(plan, budget, messages);
  const estimate = estimates[budget.check];
  const summary = {
    calls: estimate.calls,
    inputTokens: estimate.inputTokens,
    outputTokens: estimate.outputTokens,
    costUsd: estimate.pricedCostUsd,
    unpriced: estimate.unpriced,
  };
  const { maxCostUsd, maxTokens } = budget;
  const refuse = (reason: string) =>
    new BudgetExceededError({
      phase: "preflight",
      limit: { maxCostUsd, maxTokens },
      estimate: summary,
      message: reason,
    });
  const totalTokens = estimate.inputTokens + estimate.outputTokens;
  if (maxCostUsd !== undefined && estimate.unpriced.length > 0) {
    throw refuse(
      `Cannot enforce \`budget.maxCostUsd\`: no price for ${estimate.unpriced.join(", ")}. ` +
        "Add them to `budget.prices` (USD per million input/output tokens); prices are never guessed.",
    );
  }
  const basis =
    budget.check === "upper"
      ? 'every call writing its full output cap (`budget.check` "upper")'
      : `${budget.expectedOutputTokens} output tokens per call (\`budget.check\` "expected", \`budget.expectedOutputTokens\`)`;
  const fixes =
    budget.check === "upper"
      ? 'Lower `maxTokens` per call, use `budget.check` "expected", use fewer or cheaper proposers or layers, or raise the budget.'
      : "Use fewer or cheaper proposers or layers, or raise the budget.";
  const verb = budget.check === "upper" ? "may use up to" : "is expected to use";
  const costVerb = budget.check === "upper" ? "may cost up to" : "is expected to cost";
  if (maxTokens !== undefined && totalTokens > maxTokens) {
    throw refuse(
      `The run ${verb} ${totalTokens} tokens over ${estimate.calls} calls (estimate: ${estimate.inputTokens} in / ${estimate.outputTokens} out, ${basis}), ` +
        `above \`budget.maxTokens\` ${maxTokens}. ${fixes}`,
    );
  }
  if (maxCostUsd !== undefined && estimate.pricedCostUsd > maxCostUsd) {
    throw refuse(
      `The run ${costVerb} $${estimate.pricedCostUsd.toFixed(6)} over ${estimate.calls} calls (${totalTokens} tokens, ${basis}), ` +
        `above \`budget.maxCostUsd\` $${maxCostUsd}. ${fixes}`,
    );
  }
}

function limitText(maxCostUsd: number | undefined, maxTokens: number | undefined): string {
  const parts = [];
  if (maxTokens !== undefined) parts.push(`maxTokens ${maxTokens}`);
  if (maxCostUsd !== undefined) parts.push(`maxCostUsd $${maxCostUsd}`);
  return parts.length ? ` against ${parts.join(" and ")}` : "";
}
