import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BaseMessage } from "@langchain/core/messages";
import { beforeAll, describe, expect, it } from "vitest";
import { judgeAlpacaEval } from "../../../../src/eval/alpaca-eval/judge.js";
import {
  buildAlpacaEvalJudgeMessages,
  loadAlpacaEvalJudgeTemplate,
} from "../../../../src/eval/alpaca-eval/judge-prompt.js";
import { isSwitchedOutputs } from "../../../../src/eval/alpaca-eval/position-switch.js";
import type { AlpacaEvalAnnotation } from "../../../../src/eval/alpaca-eval/annotations.js";
import {
  loadAlpacaEvalSet,
  type AlpacaEvalOutput,
} from "../../../../src/eval/alpaca-eval/outputs-file.js";
import { computeWinRate } from "../../../../src/eval/alpaca-eval/win-rate.js";
import { InvalidArgumentError } from "../../../../src/errors/index.js";
import { FakeLogprobJudge, type TopEntries } from "./fake-logprob-judge.js";

const text = (message: BaseMessage) => String(message.content);

// The judge picks the shown output that contains "GOOD" (or, failing that, the one without
// "weak") with probability 0.9, whichever identifier it was shown under.
function prefersGood(messages: BaseMessage[]): TopEntries {
  const user = text(messages[1]!);
  const outputs = user.slice(user.indexOf("## Model Outputs"));
  const shownAsM = outputs.slice(
    outputs.indexOf('"model_identifier": "m"'),
    outputs.indexOf('"model_identifier": "M"'),
  );
  const mWins =
    shownAsM.includes("GOOD") || (!outputs.includes("GOOD") && !shownAsM.includes("weak"));
  return mWins
    ? [
        ["m", Math.log(0.9)],
        ["M", Math.log(0.1)],
        ["The", -9],
      ]
    : [
        ["M", Math.log(0.9)],
        ["m", Math.log(0.1)],
        ["Based", -9],
      ];
}

let reference: AlpacaEvalOutput[];
let template: string;
let outputs: AlpacaEvalOutput[];

beforeAll(async () => {
  reference = (await loadAlpacaEvalSet()).slice(0, 6);
  template = await loadAlpacaEvalJudgeTemplate();
  outputs = reference.map((entry, index) => ({
    instruction: entry.instruction,
    // Row 2 repeats the baseline's output verbatim; the others are better (GOOD) or worse.
    output:
      index === 2
        ? entry.output
        : index % 2 === 0
          ? `GOOD answer ${index}`
          : `weak answer ${index}`,
    generator: "my-moa",
    dataset: entry.dataset,
  }));
});

async function outFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "moa-alpaca-judge-")), "annotations.json");
}

describe("judgeAlpacaEval", () => {
  it("writes upstream-format annotations with position switching applied", async () => {
    const judge = new FakeLogprobJudge(prefersGood);
    const out = await outFile();
    const summary = await judgeAlpacaEval({
      outputs,
      reference,
      judge,
      out,
      template,
      cache: false,
    });
    expect(summary.failed).toBe(0);
    const annotations = JSON.parse(await readFile(out, "utf8")) as AlpacaEvalAnnotation[];
    expect(annotations.map((annotation) => annotation.instruction)).toEqual(
      reference.map((entry) => entry.instruction),
    );
    expect(annotations[0]).toMatchObject({
      generator_1: "gpt4_1106_preview",
      generator_2: "my-moa",
      annotator: "weighted_alpaca_eval_gpt4_turbo",
      output_1: reference[0]!.output,
      output_2: "GOOD answer 0",
    });
    // Whatever order the judge saw, 2 means the evaluated model won: 1.9 for the GOOD rows,
    // 1.1 for the weak ones, on switched (rows 0–2) and unswitched (rows 3–5) pairs alike.
    expect(reference.map((entry) => isSwitchedOutputs(entry.instruction))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    const preferences = annotations.map((annotation) => annotation.preference as number);
    [1.9, 1.1, 1.5, 1.1, 1.9, 1.1].forEach((expected, index) =>
      expect(preferences[index], `row ${index}`).toBeCloseTo(expected, 12),
    );
    expect(computeWinRate(annotations.map((annotation) => annotation.preference)).n_wins).toBe(2);
  });

  it("sends the exact upstream request and skips the judge for identical outputs", async () => {
    const judge = new FakeLogprobJudge(prefersGood);
    await judgeAlpacaEval({
      outputs,
      reference,
      judge,
      out: await outFile(),
      template,
      cache: false,
    });
    expect(judge.calls).toHaveLength(5);
    const sent = judge.calls.find((messages) => text(messages[1]!).includes("GOOD answer 0"))!;
    const switchedFirst = isSwitchedOutputs(reference[0]!.instruction);
    const expected = buildAlpacaEvalJudgeMessages(template, {
      instruction: reference[0]!.instruction,
      output_1: switchedFirst ? "GOOD answer 0" : reference[0]!.output,
      output_2: switchedFirst ? reference[0]!.output : "GOOD answer 0",
    });
    expect(sent.map((message) => [message._getType(), text(message)])).toEqual([
      ["system", expected[0]!.content],
      ["human", expected[1]!.content],
    ]);
  });

  it("stores a missing preference as null when neither m nor M is in the top logprobs", async () => {
    const judge = new FakeLogprobJudge(() => [
      ["Output", -0.1],
      ["Based", -2],
    ]);
    const out = await outFile();
    await judgeAlpacaEval({
      outputs: outputs.slice(0, 2),
      reference,
      judge,
      out,
      template,
      cache: false,
    });
    const annotations = JSON.parse(await readFile(out, "utf8")) as AlpacaEvalAnnotation[];
    expect(annotations.map((annotation) => annotation.preference)).toEqual([null, null]);
  });

  it("records a judge without logprobs as a failure and fills it in on rerun", async () => {
    const out = await outFile();
    const broken = new FakeLogprobJudge((messages) =>
      text(messages[1]!).includes("weak answer 1") ? undefined : prefersGood(messages),
    );
    const first = await judgeAlpacaEval({
      outputs,
      reference,
      judge: broken,
      out,
      template,
      cache: false,
    });
    expect(first.failures).toHaveLength(1);
    expect(first.failures[0]!.error).toMatch(/logprobs: true, topLogprobs: 5, maxTokens: 1/);
    expect(first.failures[0]!.errorName).toBe("JudgeReplyError");

    const fixed = new FakeLogprobJudge(prefersGood);
    const second = await judgeAlpacaEval({
      outputs,
      reference,
      judge: fixed,
      out,
      template,
      cache: false,
    });
    expect(fixed.calls).toHaveLength(1);
    expect(second.failures).toEqual([]);
    expect(second.records).toHaveLength(6);
  });

  it("re-judges an instance whose output changed, and reuses cached replies", async () => {
    const out = await outFile();
    const cache = join(await mkdtemp(join(tmpdir(), "moa-alpaca-cache-")), "cache.jsonl");
    const judge = new FakeLogprobJudge(prefersGood);
    await judgeAlpacaEval({ outputs, reference, judge, out, template, cache });
    const changed = outputs.map((output, index) =>
      index === 1 ? { ...output, output: "GOOD rewrite" } : output,
    );
    await judgeAlpacaEval({ outputs: changed, reference, judge, out, template, cache });
    expect(judge.calls).toHaveLength(6);

    // A fresh output file with the same cache costs no calls at all.
    const again = new FakeLogprobJudge(prefersGood);
    const summary = await judgeAlpacaEval({
      outputs: changed,
      reference,
      judge: again,
      out: await outFile(),
      template,
      cache,
    });
    expect(again.calls).toHaveLength(0);
    expect(summary.cached).toBe(5);
  });

  it("refuses outputs that match no reference instruction", async () => {
    const judge = new FakeLogprobJudge(prefersGood);
    const stray = [
      { instruction: "not in the eval set", output: "x", generator: "my-moa", dataset: "" },
    ];
    await expect(
      judgeAlpacaEval({ outputs: stray, reference, judge, out: await outFile(), template }),
    ).rejects.toThrow(/exact `instruction` text/);
  });

  it("rejects a judge built without logprobs before any call", async () => {
    const judge = new FakeLogprobJudge(prefersGood, { logprobs: false });
    await expect(
      judgeAlpacaEval({ outputs, reference, judge, out: await outFile(), template }),
    ).rejects.toThrow(InvalidArgumentError);
    expect(judge.calls).toHaveLength(0);
  });
});
