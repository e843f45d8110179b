import { dirname, join } from "node:path";
import { HumanMessage } from "@langchain/core/messages";
import { InvalidArgumentError } from "../../errors/invalid-argument-error.js";
import { readFlaskAnswers } from "../flask/answers-file.js";
import { generateFlask } from "../flask/generate.js";
import { loadFlaskInstances } from "../flask/instances.js";
import { judgeFlask, type FlaskReview } from "../flask/judge.js";
import { FLASK_JUDGE_SETTINGS } from "../flask/judge-prompt.js";
import { reportFlask, reportFlaskFile, type FlaskReport } from "../flask/report.js";
import { readJsonl } from "../io/jsonl-file.js";
import { limitInstances, type Benchmark, type BenchmarkData } from "./benchmark.js";
import { formatFlaskReport } from "./report-format.js";

const flaskFiles = (data: BenchmarkData) => {
  if (data.flask === undefined) {
    throw new InvalidArgumentError({
      parameter: "data.flask",
      value: undefined,
      message:
        "FLASK is not vendored: pass its `instances` (flask_evaluation.jsonl), `skills` (skillset_description.json) and `prompt` (judge_prompt.jsonl) files.",
    });
  }
  return data.flask;
};

/**
 * FLASK: fine-grained skill scores (1–5) from a GPT-4 judge, three skills per instruction. Not
 * vendored (its repository has no license): the files come from the user.
 */
export const FLASK: Benchmark<"flask", FlaskReport> = {
  name: "flask",
  title: "FLASK",
  metric: {
    title: "FLASK mean skill score (1–5)",
    column: "FLASK",
    instanceScore: "mean of one instruction's skill scores (1–5)",
  },
  judgeSettings: {
    officialJudge: `openai:${FLASK_JUDGE_SETTINGS.model}`,
    temperature: FLASK_JUDGE_SETTINGS.temperature,
    maxTokens: FLASK_JUDGE_SETTINGS.maxTokens,
  },
  answersFile: "answers.jsonl",
  judgmentsFile: "reviews.jsonl",
  dataRequired:
    "FLASK is not vendored (its repository has no license): pass --data PATH to flask_evaluation.jsonl " +
    "(github.com/kaistAI/FLASK, evaluation_set/).",
  checkData: (data) => {
    flaskFiles(data);
  },
  judgeSideFiles: (data) => {
    const { skills, prompt } = flaskFiles(data);
    return { skills, judgePrompt: prompt };
  },
  data: (paths) =>
    paths.data === undefined
      ? {}
      : {
          flask: {
            instances: paths.data,
            skills: paths.skills ?? join(dirname(paths.data), "skillset_description.json"),
            prompt: paths.judgePrompt ?? join(dirname(paths.data), "judge_prompt.jsonl"),
          },
        },
  async runIds(data, maxInstances) {
    const instances = limitInstances(
      await loadFlaskInstances(flaskFiles(data).instances),
      maxInstances,
    );
    return instances.map((instance) => `flask#${instance.idx}`);
  },
  generate: ({ data, answer, generator: _generator, ...params }) =>
    generateFlask({
      ...params,
      instances: flaskFiles(data).instances,
      generate: ({ idx, instruction }, { signal }) =>
        answer([new HumanMessage(instruction)], { runId: `flask#${idx}`, signal }),
    }),
  async judge({ data, answers, instanceLimit, judgeName: _judgeName, ...params }) {
    const files = flaskFiles(data);
    let judged: Pick<Parameters<typeof judgeFlask>[0], "answers" | "instances"> = {
      answers,
      instances: files.instances,
    };
    if (instanceLimit !== undefined) {
      const instances = limitInstances(await loadFlaskInstances(files.instances), instanceLimit);
      const ids = new Set(instances.map((instance) => instance.idx));
      judged = {
        answers: (await readFlaskAnswers(answers)).filter((answer) => ids.has(answer.question_id)),
        instances,
      };
    }
    return judgeFlask({
      ...params,
      // The instance limit counts instructions, not judgments.
      ...(instanceLimit !== undefined ? { maxInstances: undefined } : {}),
      ...judged,
      skills: files.skills,
      prompt: files.prompt,
    });
  },
  async report({ judgments }) {
    const report = await reportFlaskFile(judgments);
    return { report, text: (options) => formatFlaskReport(report, options) };
  },
  async score({ judgments, data, instanceLimit }) {
    const instances = limitInstances(
      await loadFlaskInstances(flaskFiles(data).instances),
      instanceLimit,
    );
    const ids = new Set(instances.map((instance) => instance.idx));
    const reviews = (await readJsonl<FlaskReview>(judgments, { allowMissing: true })).filter(
      (review) => ids.has(review.idx),
    );
    const report = reportFlask(reviews);
    const averages = Object.entries(report.skills)
      .map(([skill, score]) => [skill, score!.average] as const)
      .filter(([, average]) => Number.isFinite(average));
    const mean = averages.reduce((total, [, average]) => total + average, 0) / averages.length;
    return {
      value: averages.length ? mean : Number.NaN,
      details: Object.fromEntries(averages),
      judged: report.n_reviews,
      instances: Object.fromEntries(
        reviews.flatMap((review) => {
          const scores = Object.values(review.score ?? {}).filter(
            (score): score is number => typeof score === "number" && Number.isFinite(score),
          );
          return scores.length
            ? [
                [
                  `flask#${review.idx}`,
                  scores.reduce((sum, score) => sum + score, 0) / scores.length,
                ],
              ]
            : [];
        }),
      ),
    };
  },
};
