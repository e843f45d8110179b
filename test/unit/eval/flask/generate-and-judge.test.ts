import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateFlask } from "../../../../src/eval/flask/generate.js";
import { judgeFlask, type FlaskReview } from "../../../../src/eval/flask/judge.js";
import { readFlaskAnswers } from "../../../../src/eval/flask/answers-file.js";
import { reportFlaskFile } from "../../../../src/eval/flask/report.js";
import { loadFlaskInstances, type FlaskInstance } from "../../../../src/eval/flask/instances.js";
import { readJsonl } from "../../../../src/eval/io/jsonl-file.js";
import { FakeChatModel } from "../../../../src/testing/fake-chat-model.js";
import { sharedDataPath } from "../shared-data.js";

let instances: FlaskInstance[];
beforeAll(async () => {
  instances = (await loadFlaskInstances(sharedDataPath("flask", "flask_evaluation.jsonl"))).slice(
    0,
    5,
  );
});

describe("FLASK generate → judge → report", () => {
  it("produces answers, reviews and per-skill averages", async () => {
    const dir = await mkdtemp(join(tmpdir(), "moa-flask-"));
    const answersPath = join(dir, "answers.jsonl");
    const generated = await generateFlask({
      instances,
      out: answersPath,
      generate: async (instance) => ({ output: `answer ${instance.idx}` }),
    });
    expect(generated.succeeded).toBe(5);
    expect(await readFlaskAnswers(answersPath)).toEqual(
      instances.map((instance) => ({ question_id: instance.idx, text: `answer ${instance.idx}` })),
    );

    const judge = new FakeChatModel({
      model: "gpt-4-0613",
      reply: ({ messages }) => {
        const user = String(messages[1]!.content);
        const names = [
          "Logical Correctness",
          "Readability",
          "Conciseness",
          "Factuality",
          "Comprehension",
          "Commonsense Understanding",
          "Completeness",
          "Insightfulness",
          "Logical Robustness",
          "Logical Efficiency",
          "Metacognition",
          "Harmlessness",
        ];
        const shown = names.filter((name) => user.includes(`\n${name}: `));
        return `Feedback for each category.\n\n{${shown.map((name) => `'${name}': 4`).join(", ")}}`;
      },
    });
    const out = join(dir, "reviews.jsonl");
    const summary = await judgeFlask({
      answers: answersPath,
      instances,
      skills: sharedDataPath("flask", "skillset_description.json"),
      prompt: sharedDataPath("flask", "judge_prompt.jsonl"),
      judge,
      out,
    });
    expect(summary.succeeded).toBe(5);
    const reviews = await readJsonl<FlaskReview>(out);
    expect(reviews[0]).toMatchObject({
      idx: instances[0]!.idx,
      target_txt: `answer ${instances[0]!.idx}`,
    });
    expect(Object.keys(reviews[0]!.score)).toHaveLength(instances[0]!.skill.length);
    const report = await reportFlaskFile(out);
    expect(report.n_reviews).toBe(5);
    expect(Object.values(report.skills).every((skill) => skill!.average === 4)).toBe(true);
    const counted = Object.values(report.skills).reduce((total, skill) => total + skill!.count, 0);
    expect(counted).toBe(instances.reduce((total, instance) => total + instance.skill.length, 0));

    // Resumable: nothing to redo on a rerun.
    const rerun = await judgeFlask({
      answers: answersPath,
      instances,
      skills: sharedDataPath("flask", "skillset_description.json"),
      prompt: sharedDataPath("flask", "judge_prompt.jsonl"),
      judge,
      out,
    });
    expect(rerun.skipped).toBe(5);
    expect(judge.recorder.count).toBe(5);
  });
});
