export {
  ChatMixtureOfAgents,
  MOA_PROPOSAL_EVENT,
  type ChatMixtureOfAgentsParams,
} from "./chat-mixture-of-agents.js";
export { createMoaTool, type CreateMoaToolParams } from "./create-moa-tool.js";
export { moaRunDetails, type MoaProposalSummary, type MoaRunDetails } from "./moa-run-details.js";
