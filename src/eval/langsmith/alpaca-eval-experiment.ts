import { randomUUID } from "node:crypto";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Client } from "langsmith";
import { evaluate, type EvaluationResult } from "langsmith/evaluation";
import type { Example, Run } from "langsmith/schemas";
import { judgeAlpacaEvalPair } from "../alpaca-eval/judge-pair.js";
import { loadAlpacaEvalJudgeTemplate } from "../alpaca-eval/judge-prompt.js";
import { loadAlpacaEvalSet, type AlpacaEvalOutput } from "../alpaca-eval/outputs-file.js";
import { computeWinRate, type WinRateMetrics } from "../alpaca-eval/win-rate.js";

/** Parameters of {@link runAlpacaEvalExperiment}. */
export interface RunAlpacaEvalExperimentParams {
  /** The system under test: answers one instruction (e.g. a compiled MoA graph's final text). */
  target: (instruction: string) => Promise<string>;
  /** The AlpacaEval 2.0 judge, built with `ALPACA_EVAL_JUDGE_SETTINGS` (logprobs on). */
  judge: BaseChatModel;
  /** Eval-set rows (instruction + baseline output). @default the vendored 805 */
  evalSet?: readonly AlpacaEvalOutput[];
  /** Only the first N instructions (smoke runs). */
  maxInstances?: number;
  /**
   * Upload the experiment's runs and feedback to LangSmith. Set `false` for a local-only run
   * (tests, no key); with `true` the client needs a LangSmith API key.
   * @default true
   */
  uploadRuns?: boolean;
  /** LangSmith client (endpoint and key). @default one built from the LANGSMITH_* variables */
  client?: Client;
  /** @default "moa-alpaca-eval" */
  experimentPrefix?: string;
  /** Instructions answered and judged at once. @default 4 */
  maxConcurrency?: number;
  /** Experiment metadata (e.g. the MoA configuration). */
  metadata?: Record<string, unknown>;
}

/** What {@link runAlpacaEvalExperiment} returns. */
export interface AlpacaEvalExperiment {
  /** Per instruction: the answer and its judged preference (1…2, 2 = the target wins). */
  rows: { instruction: string; output: string; preference: number | null }[];
  /** The AlpacaEval win-rate metrics of these rows (leaderboard field names). */
  metrics: WinRateMetrics;
  /** The LangSmith experiment's name. */
  experimentName: string;
}

/**
 * Runs AlpacaEval 2.0 as a LangSmith experiment (`evaluate()`): the target answers each
 * instruction, a per-example evaluator judges it against the baseline exactly as the official
 * judge does (`alpaca_eval_win` = P(target wins)), and a summary evaluator reports the win rate.
 * Offline with `uploadRuns: false`; uploaded to LangSmith when a key is configured.
 * (Length-controlled win rates need the whole 805-row file: use `moa eval report` on it.)
 *
 * @example
 * ```ts
 * const judge = new ChatOpenAI({ ...ALPACA_EVAL_JUDGE_SETTINGS });
 * const moa = createMixtureOfAgents({ proposers, aggregator }).compile();
 * const { metrics } = await runAlpacaEvalExperiment({
 *   target: async (instruction) => String((await moa.invoke({ messages: [new HumanMessage(instruction)] })).messages.at(-1)?.content),
 *   judge,
 *   maxInstances: 20,
 * });
 * ```
 */
export async function runAlpacaEvalExperiment(
  params: RunAlpacaEvalExperimentParams,
): Promise<AlpacaEvalExperiment> {
  const [evalSet, template] = await Promise.all([
    params.evalSet ? Promise.resolve(params.evalSet) : loadAlpacaEvalSet(),
    loadAlpacaEvalJudgeTemplate(),
  ]);
  const rows = evalSet.slice(0, params.maxInstances ?? evalSet.length);
  const datasetId = randomUUID();
  const examples: Example[] = rows.map((row) => ({
    id: randomUUID(),
    dataset_id: datasetId,
    created_at: new Date().toISOString(),
    inputs: { instruction: row.instruction },
    outputs: { baseline: row.output, dataset: row.dataset },
    runs: [],
  }));
  const preferences = new Map<string, number | null>();
  const judgeAnswer = async ({
    run,
    example,
  }: {
    run: Run;
    example?: Example;
  }): Promise<EvaluationResult> => {
    const instruction = String(example?.inputs.instruction ?? "");
    const judged = await judgeAlpacaEvalPair({
      judge: params.judge,
      template,
      pair: {
        instruction,
        output_1: String(example?.outputs?.baseline ?? ""),
        output_2: String(run.outputs?.output ?? ""),
      },
    });
    const preference = Number.isNaN(judged.preference) ? null : judged.preference;
    preferences.set(instruction, preference);
    return { key: "alpaca_eval_win", score: preference === null ? undefined : preference - 1 };
  };
  const results = await evaluate(
    async (inputs: { instruction: string }) => ({
      output: await params.target(inputs.instruction),
    }),
    {
      data: examples,
      evaluators: [judgeAnswer],
      summaryEvaluators: [
        async () => ({
          key: "win_rate",
          score: computeWinRate(rows.map((row) => preferences.get(row.instruction) ?? null))
            .win_rate,
        }),
      ],
      experimentPrefix: params.experimentPrefix ?? "moa-alpaca-eval",
      maxConcurrency: params.maxConcurrency ?? 4,
      uploadRuns: params.uploadRuns ?? true,
      disableEvaluatorTracing: params.uploadRuns === false,
      ...(params.metadata ? { metadata: params.metadata } : {}),
      ...(params.client ? { client: params.client } : {}),
    },
  );
  const answers = new Map(
    results.results.map((row) => [
      String(row.example.inputs.instruction),
      String(row.run.outputs?.output ?? ""),
    ]),
  );
  const ordered = rows.map((row) => ({
    instruction: row.instruction,
    output: answers.get(row.instruction) ?? "",
    preference: preferences.get(row.instruction) ?? null,
  }));
  return {
    rows: ordered,
    metrics: computeWinRate(ordered.map((row) => row.preference)),
    experimentName: results.experimentName,
  };
}
