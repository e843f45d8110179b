/**
 * langgraph-moa: Mixture-of-Agents (Wang et al. 2024) for LangGraph.js.
 *
 * @module
 */
export {
  MOA_NODES,
  createMixtureOfAgents,
  isProposalEvent,
  type AggregationStrategy,
  type CreateMixtureOfAgentsParams,
  type MoaCallMetadata,
  type MoaNodeName,
  type MoaRole,
  type ProposalEndEvent,
  type ProposalEvent,
  type ProposalStartEvent,
  type ProposerSpec,
} from "./graph/index.js";
export {
  AGGREGATE_AND_SYNTHESIZE_PROMPT,
  buildRankMessages,
  formatReferences,
  injectReferences,
  parseRankReply,
} from "./prompts/index.js";
export {
  MoaStateSchema,
  compareProposals,
  reduceProposals,
  type Aggregation,
  type MoaState,
  type Proposal,
  type Ranking,
  type Usage,
} from "./state/index.js";
export {
  InsufficientProposalsError,
  InvalidArgumentError,
  InvalidConfigError,
  MoaError,
  ModelSpecError,
  type ConfigIssue,
  type FailedProposer,
} from "./errors/index.js";
