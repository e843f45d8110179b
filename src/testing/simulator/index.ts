/**
 * A loopback OpenAI-compatible chat-completions simulator for tests, offline demos
 * (`moa run --simulate`), load benchmarks and fault injection. Start it with
 * {@link startSimulator} and point any OpenAI client at `${sim.url}/v1`.
 *
 * @module
 */
export { startSimulator, type Simulator, type SimulatorOptions } from "./start-simulator.js";
export type { ModelBehaviour } from "./model-behaviour.js";
export { syntheticToolCall, type SyntheticToolCall } from "./synthetic-tool-call.js";
export type {
  Fault,
  FaultScript,
  StatusFault,
  ContextLengthFault,
  HangFault,
  StallFault,
  MalformedJsonFault,
  EmptyFault,
  DelayFault,
} from "./fault-script.js";
export type { LatencySpec } from "./latency.js";
export {
  countReferences,
  REFERENCES_HEADER,
  type SimulatorMessage,
  type SimulatorRequestInfo,
} from "./request-info.js";
export type { SimulatorRequestLogEntry, SimulatorRequestFilter } from "./request-log.js";
export {
  buildSyntheticRankChoice,
  buildSyntheticReply,
  parseSyntheticReply,
  SYNTHETIC_REPLY_PREFIX,
  SYNTHETIC_EXCERPT_WORDS,
  DEFAULT_OUTPUT_TOKENS,
  type SyntheticReplyFields,
} from "./synthetic-reply.js";
export type { TokenCandidate } from "./synthetic-logprobs.js";
export { countTokens } from "./whitespace-tokens.js";
export { DEFAULT_CONTEXT_WINDOW } from "./serve-chat-completion.js";
