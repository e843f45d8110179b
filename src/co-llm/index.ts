/**
 * Co-LLM (Shen et al., ACL 2024): token-level deferral from a base model to an assistant
 * (expert) through a learned switch on the base's hidden state. It holds greedy collaborative
 * decoding on the embedded engine (node-llama-cpp, imported on first use), the reference code's
 * baselines on the same decoder, the gate's typed form, training the gate as library functions
 * (scoring, weak labels, weighted-BCE initialisation, marginal-likelihood fit, threshold
 * search), answer metrics, and offline fixtures (generated GGUF pairs) that make it observable.
 *
 * @module
 */
export {
  coLlmDecode,
  deferredSpans,
  type CoLlmDecodeParams,
  type CoLlmDecodeResult,
  type CoLlmModelUsage,
  type CoLlmStep,
} from "./co-llm-decode.js";
export { CO_LLM_BASELINES, deferralPolicyName, type DeferralPolicy } from "./deferral-policy.js";
export {
  CO_LLM_METHODS,
  evaluateCoLlmMethods,
  type CoLlmMethodName,
  type CoLlmMethodResult,
  type EvaluateCoLlmMethodsParams,
} from "./evaluate-methods.js";
export {
  assertGateFitsBase,
  gateProbability,
  parseGate,
  serializeGate,
  type CoLlmGate,
} from "./gate.js";
export { GateMismatchError } from "./gate-mismatch-error.js";
export {
  loadLlamaTokenModel,
  type LlamaTokenModel,
  type LoadLlamaTokenModelOptions,
} from "./llama-token-model.js";
export type { AppendOptions, NextToken, TokenModel, TokenModelSession } from "./token-model.js";
export {
  scoreSequences,
  type ScoredToken,
  type ScoreSequencesParams,
  type TrainingSequence,
} from "./training/score-sequences.js";
export { weakLabels } from "./training/weak-labels.js";
export {
  trainCoLlmGate,
  trainingSequence,
  type GoldTask,
  type TrainCoLlmGateParams,
  type TrainCoLlmGateResult,
  type TrainGateStep,
} from "./training/train-gate.js";
export type { GateFitOptions } from "./training/gradient-descent.js";
export { initializeGate, type InitializeGateParams } from "./training/initialize-gate.js";
export {
  assistantResponsibility,
  fitMarginalLikelihood,
  marginalLogLikelihood,
  type FitMarginalLikelihoodParams,
} from "./training/fit-marginal-likelihood.js";
export {
  quantileThreshold,
  searchThreshold,
  youdenThreshold,
  type SearchThresholdParams,
  type SearchThresholdResult,
  type ThresholdCandidate,
} from "./training/search-threshold.js";
export type { CoLlmTask } from "./tasks.js";
export { assertSameVocabulary } from "./vocabulary.js";
export { VocabularyMismatchError } from "./vocabulary-mismatch-error.js";
export {
  CO_LLM_FIXTURE_DIMENSIONS,
  CO_LLM_FIXTURE_VARIANTS,
  createCoLlmFixture,
  type CoLlmFixture,
  type CoLlmFixtureTask,
  type CoLlmFixtureVariant,
  type CreateCoLlmFixtureParams,
} from "./fixtures/create-co-llm-fixture.js";
export {
  createFakeTokenModel,
  type CreateFakeTokenModelParams,
  type FakeTokenModel,
} from "./fixtures/create-fake-token-model.js";
export {
  exactMatchRate,
  extractFinalAnswer,
  isExactMatch,
  normalizeNumber,
  parseTasksJsonl,
  referenceAnswer,
} from "./answer-metrics.js";
export {
  ChatCoLlm,
  type ChatCoLlmParams,
  type ChatCoLlmStepMetadata,
  type ChatCoLlmSummary,
} from "./chat-co-llm.js";
