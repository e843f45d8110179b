export {
  createMixtureOfAgents,
  type CreateMixtureOfAgentsParams,
} from "./create-mixture-of-agents.js";
export { MOA_NODES, type MoaNodeName } from "./node-names.js";
export type {
  AggregationStrategy,
  MoaPlan,
  ProposerSpec,
  ResolvedProposer,
} from "../plan/proposer-spec.js";
export {
  isProposalEvent,
  type ProposalEndEvent,
  type ProposalEvent,
  type ProposalStartEvent,
} from "./stream-events.js";
export type { MoaCallMetadata, MoaRole } from "./model-call-config.js";
export type { RunBudget } from "../plan/resolve-plan.js";
export type { BudgetCheck } from "../plan/proposer-spec.js";
export {
  DEFAULT_BUDGET_CHECK,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_EXPECTED_OUTPUT_TOKENS,
} from "../plan/resolve-plan.js";
export { DEFAULT_MOA_LIMITS, type MoaLimits } from "../plan/moa-limits.js";
export type { MoaStateGraph } from "./build-moa-graph.js";
