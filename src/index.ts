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
  type RunBudget,
  type BudgetCheck,
  type MoaStateGraph,
  DEFAULT_BUDGET_CHECK,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_EXPECTED_OUTPUT_TOKENS,
  DEFAULT_MOA_LIMITS,
  type MoaLimits,
} from "./graph/index.js";
export {
  ChatMixtureOfAgents,
  MOA_PROPOSAL_EVENT,
  createMoaTool,
  moaRunDetails,
  type ChatMixtureOfAgentsParams,
  type CreateMoaToolParams,
  type MoaProposalSummary,
  type MoaRunDetails,
} from "./chat-model/index.js";
export { MAX_TIMER_DELAY_MS } from "./utils/timer-delay.js";
export {
  AGGREGATE_AND_SYNTHESIZE_PROMPT,
  buildRankMessages,
  REFERENCE_FORMATS,
  escapeReferenceDelimiters,
  formatReferences,
  injectReferences,
  parseRankReply,
  type ReferenceFormat,
  type ReferenceOptions,
} from "./prompts/index.js";
export {
  MoaInputSchema,
  MoaStateSchema,
  compareProposals,
  reduceProposals,
  type Aggregation,
  type AggregatorFallbackRecord,
  type MoaState,
  type Proposal,
  type Ranking,
  type Usage,
} from "./state/index.js";
export {
  InsufficientProposalsError,
  InvalidArgumentError,
  InvalidConfigError,
  InvalidInputError,
  MoaError,
  ModelCallError,
  ModelSpecError,
  BudgetExceededError,
  type BudgetLimit,
  type BudgetSpend,
  type ConfigIssue,
  type FailedProposer,
  registerSecret,
  redactSecrets,
  redactError,
} from "./errors/index.js";
export {
  DEFAULT_PRICES,
  LOCAL_PRICE_SOURCE,
  PROVIDERS,
  findPrice,
  priceTokens,
  parseModelSpec,
  type LoadChatModelOptions,
  type ModelSpec,
  type PriceRow,
  type TokenPrice,
  type ProviderEnvironment,
} from "./models/index.js";
export { loadChatModel } from "./load-chat-model.js";
export {
  DEFAULT_PRESET,
  PAPER_PROPOSERS,
  PRESETS,
  PRESET_NAMES,
  type MoaPreset,
  type PresetName,
} from "./presets/index.js";
export {
  MoaConfigSchema,
  configToParams,
  createConfigurableMixtureOfAgents,
  parseMoaConfig,
  type CreateConfigurableMixtureOfAgentsParams,
  type MoaConfigInput,
  type ModelLoader,
  type ResolvedMoaConfig,
} from "./config/index.js";
