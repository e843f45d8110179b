import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildFlaskJudgeRequest,
  formatFlaskSkills,
  loadFlaskJudgePrompt,
  type FlaskJudgePrompt,
} from "../../../../src/eval/flask/judge-prompt.js";
import { loadFlaskInstances, type FlaskInstance } from "../../../../src/eval/flask/instances.js";
import { loadFlaskSkills, type FlaskSkill } from "../../../../src/eval/flask/skills.js";
import { sharedDataPath } from "../shared-data.js";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const response = (idx: number | string) => `Response to ${idx}: {braces} stay, $1 too.`;

let instances: FlaskInstance[];
let skills: FlaskSkill[];
let prompt: FlaskJudgePrompt;

beforeAll(async () => {
  [instances, skills, prompt] = await Promise.all([
    loadFlaskInstances(sharedDataPath("flask", "flask_evaluation.jsonl")),
    loadFlaskSkills(sharedDataPath("flask", "skillset_description.json")),
    loadFlaskJudgePrompt(sharedDataPath("flask", "judge_prompt.jsonl")),
  ]);
});

describe("FLASK judge requests", () => {
  it("uses prompt 2, the one with the reference answer", () => {
    expect(prompt.prompt_id).toBe(2);
    expect(prompt.prompt_template).toContain("[Ground truth Answer]\n{sample_answer}");
  });

  // Digests of `gpt4_eval.py`'s gen_prompt (reviewer 1 → prompt 2) run in CPython on the same inputs.
  it.each([
    [0, 1, "87b8464eee3d9cebc7245d0fc619bc1dbc2d4eef97fa59c34be409f79a8a3f7c", 3590],
    [1, 2, "797e7736e7b96cb7530d0387a8b942f76c20024426d23be724fa2b854aff3400", 3873],
    [500, 501, "b5b6cf14c2104688eabe7ee4711323af17f3da5f684a552afd23389b62a44f09", 6627],
    [1739, 1740, "06007f1d53e6f8091215c8d1641c50dba4d5966229fb7e18df17ff4cef6272c0", 3911],
  ])("formats instance %i (idx %i) byte for byte as upstream", (index, idx, digest, length) => {
    const instance = instances[index]!;
    expect(instance.idx).toBe(idx);
    const request = buildFlaskJudgeRequest({
      instance,
      response: response(instance.idx),
      skills,
      prompt,
    });
    expect(request.userPrompt.length).toBe(length);
    expect(sha256(request.userPrompt)).toBe(digest);
    expect(sha256(request.messages[0]!.content)).toBe(
      "fd7a4189d0b5d8c5ecaa865c7fad454e2d4fffb596f6824ab1b7a934dcf9d6f2",
    );

    // Built directly from the upstream prompt: every `{field}` replaced by its value.
    const values: Record<string, string> = {
      ...prompt.defaults,
      question: instance.instruction,
      response: response(instance.idx),
      sample_answer: instance.answer,
      skills: formatFlaskSkills(instance.skill, skills),
      num: "3",
    };
    expect(request.userPrompt).toBe(
      prompt.prompt_template.replace(/\{(\w+)\}/g, (_match, field: string) => values[field]!),
    );
  });

  it("writes each skill's rubric in the instance's order", () => {
    const text = formatFlaskSkills(["Readability", "Logical Correctness"], skills);
    const readability = skills.find((skill) => skill.Skill === "Readability")!;
    expect(
      text.startsWith(
        `\nReadability: ${readability.Criteria}\nScore 1: ${readability.Scoring["1"]}`,
      ),
    ).toBe(true);
    expect(text.indexOf("Logical Correctness:")).toBeGreaterThan(text.indexOf("Readability:"));
    expect(text.endsWith("\n\n")).toBe(true);
  });

  it("matches skill labels by substring, like upstream", () => {
    expect(formatFlaskSkills(["Robustness"], skills)).toContain("\nLogical Robustness: ");
    expect(formatFlaskSkills(["Unknown skill"], skills)).toBe("");
  });

  it("reads the hard set's stringified skill lists", async () => {
    const hard = await loadFlaskInstances(sharedDataPath("flask", "flask_hard_evaluation.jsonl"));
    expect(hard).toHaveLength(89);
    expect(hard[0]!.skill).toEqual(["Comprehension", "Logical Efficiency", "Factuality"]);
    expect(hard[0]!.domain).toEqual(["Math", "Technology"]);
  });
});
