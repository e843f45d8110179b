import { HumanMessage } from "@langchain/core/messages";
import { readAlpacaEvalAnnotations } from "../alpaca-eval/annotations.js";
import { generateAlpacaEval } from "../alpaca-eval/generate.js";
import { ALPACA_EVAL_JUDGE_SETTINGS, judgeAlpacaEval } from "../alpaca-eval/judge.js";
import {
  loadLengthControlledData,
  type LengthControlledData,
} from "../alpaca-eval/length-controlled-data.js";
import { loadAlpacaEvalSet, readAlpacaEvalOutputs } from "../alpaca-eval/outputs-file.js";
import { reportAlpacaEval, type AlpacaEvalReport } from "../alpaca-eval/report.js";
import { limitInstances, type Benchmark } from "./benchmark.js";
import { formatAlpacaEvalReport } from "./report-format.js";

let lengthControlledData: Promise<LengthControlledData> | undefined;

/** The instructions of the first `maxInstances` instances of the eval set, with their index. */
async function instructionIndex(
  evalSet: string | undefined,
  maxInstances: number | undefined,
): Promise<Map<string, number>> {
  return new Map(
    limitInstances(await loadAlpacaEvalSet(evalSet), maxInstances).map(
      (entry, index) => [entry.instruction, index] as const,
    ),
  );
}

/**
 * AlpacaEval 2.0: 805 instructions, each answer judged against GPT-4 Turbo's reference output by
 * the weighted GPT-4 Turbo judge; the headline is the length-controlled win rate.
 */
export const ALPACA_EVAL: Benchmark<"alpaca-eval", AlpacaEvalReport> = {
  name: "alpaca-eval",
  title: "AlpacaEval 2.0",
  metric: {
    title: "LC win rate (%)",
    column: "LC win %",
    instanceScore: "win against the reference output (%, a draw is 50; raw, not length-controlled)",
  },
  judgeSettings: {
    officialJudge: `openai:${ALPACA_EVAL_JUDGE_SETTINGS.model}`,
    temperature: ALPACA_EVAL_JUDGE_SETTINGS.temperature,
    maxTokens: ALPACA_EVAL_JUDGE_SETTINGS.maxTokens,
    openAIFields: {
      logprobs: ALPACA_EVAL_JUDGE_SETTINGS.logprobs,
      topLogprobs: ALPACA_EVAL_JUDGE_SETTINGS.topLogprobs,
    },
  },
  answersFile: "model_outputs.json",
  judgmentsFile: "annotations.json",
  readsUpstreamJudgments: true,
  data: (paths) => (paths.data !== undefined ? { alpacaEvalSet: paths.data } : {}),
  async runIds(data, maxInstances) {
    const evalSet = limitInstances(await loadAlpacaEvalSet(data.alpacaEvalSet), maxInstances);
    return evalSet.map((_, index) => `alpaca-eval#${index}`);
  },
  generate: ({ data, answer, ...params }) =>
    generateAlpacaEval({
      ...params,
      ...(data.alpacaEvalSet !== undefined ? { evalSet: data.alpacaEvalSet } : {}),
      generate: ({ index, instruction }, { signal }) =>
        answer([new HumanMessage(instruction)], { runId: `alpaca-eval#${index}`, signal }),
    }),
  async judge({ data, answers, instanceLimit, judgeName: _judgeName, ...params }) {
    let outputs: Parameters<typeof judgeAlpacaEval>[0]["outputs"] = answers;
    if (instanceLimit !== undefined) {
      const instructions = await instructionIndex(data.alpacaEvalSet, instanceLimit);
      outputs = (await readAlpacaEvalOutputs(answers)).filter((output) =>
        instructions.has(output.instruction),
      );
    }
    return judgeAlpacaEval({
      ...params,
      outputs,
      ...(data.alpacaEvalSet !== undefined ? { reference: data.alpacaEvalSet } : {}),
    });
  },
  async report({ judgments }) {
    lengthControlledData ??= loadLengthControlledData();
    const [annotations, lengthData] = await Promise.all([
      readAlpacaEvalAnnotations(judgments),
      lengthControlledData,
    ]);
    const report = reportAlpacaEval(annotations, lengthData);
    const first = annotations[0];
    const title = first
      ? `AlpacaEval 2.0 — ${first.generator_2} vs ${first.generator_1}`
      : undefined;
    return {
      report,
      text: (options) =>
        formatAlpacaEvalReport(report, { ...options, ...(title ? { title } : {}) }),
    };
  },
  async score({ judgments, data, instanceLimit }) {
    const indexOf = await instructionIndex(data.alpacaEvalSet, instanceLimit);
    const annotations = (await readAlpacaEvalAnnotations(judgments)).filter((annotation) =>
      indexOf.has(annotation.instruction),
    );
    lengthControlledData ??= loadLengthControlledData();
    const report = reportAlpacaEval(annotations, await lengthControlledData);
    return {
      value: report.length_controlled_winrate,
      standardError: report.lc_standard_error,
      details: {
        win_rate: report.win_rate,
        standard_error: report.standard_error,
        avg_length: report.avg_length,
      },
      judged: annotations.length,
      instances: Object.fromEntries(
        annotations.flatMap((annotation) => {
          // As computeWinRate reads a preference: 0 is a draw, outside [1, 2] is unparsed.
          const preference = annotation.preference === 0 ? 1.5 : annotation.preference;
          return typeof preference === "number" && preference >= 1 && preference <= 2
            ? [[`alpaca-eval#${indexOf.get(annotation.instruction)}`, 100 * (preference - 1)]]
            : [];
        }),
      ),
    };
  },
};
