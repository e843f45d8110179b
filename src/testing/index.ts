/**
 * Test doubles for Mixture-of-Agents graphs: scripted fake chat models, call recorders and a
 * loopback OpenAI-compatible simulator, so you can test your own MoA graphs offline.
 *
 * @module
 */
export {
  FakeChatModel,
  type FakeChatModelParams,
  type FakeReplyContext,
} from "./fake-chat-model.js";
export { CallRecorder, ConcurrencyProbe, type RecordedCall } from "./call-recorder.js";
export {
  startSimulator,
  parseSyntheticReply,
  buildSyntheticRankChoice,
  buildSyntheticReply,
  countReferences,
  countTokens,
  SYNTHETIC_REPLY_PREFIX,
  SYNTHETIC_EXCERPT_WORDS,
  DEFAULT_OUTPUT_TOKENS,
  DEFAULT_CONTEXT_WINDOW,
  REFERENCES_HEADER,
  type Simulator,
  type SimulatorOptions,
  type ModelBehaviour,
  type LatencySpec,
  type Fault,
  type FaultScript,
  type StatusFault,
  type ContextLengthFault,
  type HangFault,
  type StallFault,
  type MalformedJsonFault,
  type EmptyFault,
  type DelayFault,
  type SimulatorMessage,
  type SimulatorRequestInfo,
  type SimulatorRequestLogEntry,
  type SimulatorRequestFilter,
  type SyntheticReplyFields,
  type TokenCandidate,
  syntheticToolCall,
  type SyntheticToolCall,
} from "./simulator/index.js";
export {
  startLangSmithSink,
  buildRunTree,
  flattenRunTree,
  formatRunTree,
  runMetadata,
  type LangSmithSink,
  type LangSmithSinkOptions,
  type LangSmithSinkRequest,
  type SinkRun,
  type SinkRunNode,
} from "./langsmith-sink/index.js";
export {
  SIMULATED_STUDY_JUDGE_LABEL,
  simulatedStudyBehaviour,
  syntheticAnswerQuality,
  type SimulatedStudyOptions,
} from "./simulated-study.js";
