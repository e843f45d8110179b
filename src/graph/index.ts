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
} from "./proposer-spec.js";
export {
  isProposalEvent,
  type ProposalEndEvent,
  type ProposalEvent,
  type ProposalStartEvent,
} from "./stream-events.js";
export type { MoaCallMetadata, MoaRole } from "./model-call-config.js";
