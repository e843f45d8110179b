/**
 * Evaluation harness (AlpacaEval 2.0, MT-Bench, FLASK) in three resumable stages over files:
 * generate → judge → report. Generation takes any `(instance) => Promise<{ output }>` function
 * (a model or the MoA graph); judges take a LangChain chat model configured with the official
 * settings; metrics are pure functions reproducing the upstream tools' numbers. Batches of runs
 * on a LangGraph server (`runBatchOnServer`) are here too.
 *
 * This entry exports what a benchmark user calls: generate/judge/report per benchmark, the
 * official judge settings, the score parsers, the metrics, the data loaders and the readers and
 * writers of the files the stages produce. The building blocks (stage runner, retry policy,
 * Python-compatible helpers, the GLM fit) are internal; their names may change in any release.
 *
 * @example
 * ```ts
 * import { generateAlpacaEval, judgeAlpacaEval, reportAlpacaEvalFile, ALPACA_EVAL_JUDGE_SETTINGS } from "langgraph-moa/eval";
 *
 * await generateAlpacaEval({ generator: "moa", out: "runs/outputs.json", generate: async ({ instruction }) => ({ output: await answer(instruction) }) });
 * await judgeAlpacaEval({ outputs: "runs/outputs.json", judge: new ChatOpenAI({ ...ALPACA_EVAL_JUDGE_SETTINGS }), out: "runs/annotations.json" });
 * console.log(await reportAlpacaEvalFile("runs/annotations.json"));
 * ```
 *
 * @module
 */

// Options and results shared by the three benchmarks' stages
export type { StageOptions, StageSummary } from "./stages/run-stage.js";
export type { StageFailure } from "./stages/stage-store.js";
export type { ProgressCallback, StageProgress } from "./stages/stage-progress.js";
export type { RetryOptions } from "./stages/retry-policy.js";
export { JudgmentCache } from "./stages/judgment-cache.js";
export type { JudgeCacheOption } from "./judge-cache-option.js";
export type { GenerationResult } from "./generation.js";
export { EvalDataError } from "./eval-data-error.js";
export { JudgeReplyError } from "./judge-reply-error.js";

// AlpacaEval 2.0
export { computeWinRate, averageLength, type WinRateMetrics } from "./alpaca-eval/win-rate.js";
export {
  computeLengthControlledWinRate,
  predictLengthControlledWinRate,
  type GlmWeights,
  type LengthControlledInput,
  type LengthControlledOptions,
  type LengthControlledResult,
  type PredictLengthControlledOptions,
} from "./alpaca-eval/length-controlled.js";
export {
  loadLengthControlledData,
  type LengthControlledData,
  type LoadLengthControlledDataParams,
} from "./alpaca-eval/length-controlled-data.js";
export {
  readAlpacaEvalLeaderboard,
  readGlmWeights,
  type AlpacaEvalLeaderboardRow,
} from "./alpaca-eval/leaderboard-files.js";
export { preferenceFromLogprobs, type LogprobTokens } from "./alpaca-eval/logprob-parser.js";
export { readAlpacaEvalAnnotations, type AlpacaEvalAnnotation } from "./alpaca-eval/annotations.js";
export {
  loadAlpacaEvalSet,
  readAlpacaEvalOutputs,
  writeAlpacaEvalOutputs,
  type AlpacaEvalOutput,
} from "./alpaca-eval/outputs-file.js";
export {
  reportAlpacaEval,
  reportAlpacaEvalFile,
  type AlpacaEvalReport,
} from "./alpaca-eval/report.js";
export {
  generateAlpacaEval,
  type AlpacaEvalInstance,
  type GenerateAlpacaEvalParams,
} from "./alpaca-eval/generate.js";
export {
  ALPACA_EVAL_ANNOTATOR,
  ALPACA_EVAL_JUDGE_SETTINGS,
  judgeAlpacaEval,
  type JudgeAlpacaEvalParams,
} from "./alpaca-eval/judge.js";
export {
  judgeAlpacaEvalPair,
  type AlpacaEvalPair,
  type AlpacaEvalPairJudgment,
} from "./alpaca-eval/judge-pair.js";

// MT-Bench
export { loadMtBenchQuestions, type MtBenchQuestion } from "./mt-bench/questions.js";
export { MT_BENCH_TEMPERATURES, mtBenchTemperature } from "./mt-bench/temperatures.js";
export {
  loadMtBenchReferenceAnswers,
  readMtBenchAnswers,
  type MtBenchAnswer,
} from "./mt-bench/answers-file.js";
export {
  MT_BENCH_JUDGE_SETTINGS,
  MT_BENCH_REFERENCE_CATEGORIES,
} from "./mt-bench/judge-prompts.js";
export { parseMtBenchScore } from "./mt-bench/score-parser.js";
export { readMtBenchJudgments, type MtBenchJudgment } from "./mt-bench/judgments-file.js";
export {
  generateMtBench,
  type GenerateMtBenchParams,
  type MtBenchTurnRequest,
} from "./mt-bench/generate.js";
export { judgeMtBench, type JudgeMtBenchParams } from "./mt-bench/judge.js";
export { reportMtBench, reportMtBenchFile, type MtBenchReport } from "./mt-bench/report.js";

// FLASK
export { loadFlaskInstances, type FlaskInstance } from "./flask/instances.js";
export { loadFlaskSkills, type FlaskSkill } from "./flask/skills.js";
export { FLASK_JUDGE_SETTINGS } from "./flask/judge-prompt.js";
export { parseFlaskScores, type FlaskScoreValue } from "./flask/score-parser.js";
export { readFlaskAnswers, type FlaskAnswer } from "./flask/answers-file.js";
export { generateFlask, type GenerateFlaskParams } from "./flask/generate.js";
export { judgeFlask, type FlaskReview, type JudgeFlaskParams } from "./flask/judge.js";
export {
  FLASK_SKILLS,
  reportFlask,
  reportFlaskFile,
  type FlaskReport,
  type FlaskSkillKey,
  type FlaskSkillScore,
} from "./flask/report.js";

// LangSmith experiments
export {
  runAlpacaEvalExperiment,
  type AlpacaEvalExperiment,
  type RunAlpacaEvalExperimentParams,
} from "./langsmith/alpaca-eval-experiment.js";

// Batches of runs on a LangGraph server (`langgraphjs dev`, LangGraph Platform)
export {
  runBatchOnServer,
  type BatchItemResult,
  type RunBatchOnServerParams,
} from "../remote/run-batch-on-server.js";

// The benchmark registry (one module per benchmark behind one interface) and the answerer
// `moa eval` and `moa ablate` share
export {
  BENCHMARKS,
  BENCHMARK_NAMES,
  getBenchmark,
  isBenchmarkName,
  type Benchmark,
  type BenchmarkAnswer,
  type BenchmarkData,
  type BenchmarkGenerateParams,
  type BenchmarkJudgeParams,
  type BenchmarkJudgeSettings,
  type BenchmarkMetric,
  type BenchmarkName,
  type BenchmarkReport,
  type BenchmarkReportParams,
  type BenchmarkScore,
  type BenchmarkScoreParams,
} from "./benchmarks/index.js";
export {
  createMoaAnswerer,
  type Answerer,
  type AnswerOptions,
  type CreateMoaAnswererParams,
  type MoaAnswerer,
  type MoaRun,
} from "./answerer.js";
