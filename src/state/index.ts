export {
  RESET_PROPOSALS,
  compareProposals,
  layerReferences,
  reduceProposals,
  sumUsage,
  type Proposal,
  type ProposalsReset,
  type ProposalsUpdate,
  type Usage,
} from "./proposal.js";
export type {
  Aggregation,
  AggregationMode,
  AggregatorFallbackRecord,
  RankerCall,
  Ranking,
} from "./aggregation.js";
export { MoaInputSchema, MoaStateSchema, type MoaState, type MoaStateUpdate } from "./moa-state.js";
export { checkConversation } from "./check-conversation.js";
