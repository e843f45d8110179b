import { InvalidArgumentError } from "../../errors/index.js";
import { readJsonl } from "../io/jsonl-file.js";
import { EvalDataError } from "../eval-data-error.js";
import type { JudgeMessage } from "../judge-call.js";
import { formatPythonTemplate } from "../python/format-template.js";
import type { FlaskInstance } from "./instances.js";
import type { FlaskSkill } from "./skills.js";

/** One FLASK judge prompt (`judge_prompt.jsonl`). */
export interface FlaskJudgePrompt {
  prompt_id: number;
  system_prompt: string;
  /** A Python `str.format` template with `{skills}`, `{question}`, `{response}`, … */
  prompt_template: string;
  /** Extra template values (`prompt1`, `prompt2`). */
  defaults: Record<string, string>;
  description?: string;
}

/** FLASK's model-based evaluation uses prompt 2: the rubric plus the reference answer. */
export const FLASK_PROMPT_ID = 2;

/**
 * The official FLASK judge: construct it as `new ChatOpenAI({ ...FLASK_JUDGE_SETTINGS })`
 * (`gpt4_eval.py` sends temperature 0 and max_tokens 1024 to gpt-4-0613).
 */
export const FLASK_JUDGE_SETTINGS = {
  model: "gpt-4-0613",
  temperature: 0,
  maxTokens: 1024,
} as const;

/**
 * Reads FLASK judge prompts (`gpt_review/src/judge_prompt.jsonl`) and returns the one with
 * `promptId` (default {@link FLASK_PROMPT_ID}).
 */
export async function loadFlaskJudgePrompt(
  path: string,
  promptId = FLASK_PROMPT_ID,
): Promise<FlaskJudgePrompt> {
  const prompts = await readJsonl<FlaskJudgePrompt>(path);
  const prompt = prompts.find((candidate) => candidate?.prompt_id === promptId);
  if (
    !prompt ||
    typeof prompt.prompt_template !== "string" ||
    typeof prompt.system_prompt !== "string"
  ) {
    throw new EvalDataError({
      file: path,
      message: `has no complete prompt with \`prompt_id\` ${promptId}`,
    });
  }
  return { ...prompt, defaults: prompt.defaults ?? {} };
}

/**
 * The rubric block FLASK puts in `{skills}`: for each of the instance's skills, the first rubric
 * whose name **contains** the label (upstream's `label in skill["Skill"]`), as
 * `"\n{name}: {criteria}\nScore 1: …\nScore 5: …\n\n"`; labels matching no rubric are skipped.
 */
export function formatFlaskSkills(
  labels: readonly string[],
  skills: readonly FlaskSkill[],
): string {
  let text = "";
  for (const label of labels) {
    const skill = skills.find((candidate) => candidate.Skill.includes(label));
    if (!skill) continue;
    text += `\n${skill.Skill}: ${skill.Criteria}`;
    for (const score of ["1", "2", "3", "4"] as const)
      text += `\nScore ${score}: ${skill.Scoring[score]}`;
    text += `\nScore 5: ${skill.Scoring["5"]}\n\n`;
  }
  return text;
}

/** Parameters of {@link buildFlaskJudgeRequest}. */
export interface BuildFlaskJudgeRequestParams {
  instance: FlaskInstance;
  /** The evaluated model's answer. */
  response: string;
  skills: readonly FlaskSkill[];
  prompt: FlaskJudgePrompt;
}

/**
 * The FLASK judge request exactly as `gpt4_eval.py`'s `gen_prompt` formats it: the template
 * filled with `str.format(question=instruction, response, skills, num=3,
 * sample_answer=answer, **defaults)`, sent after the prompt's system message.
 *
 * @example
 * ```ts
 * const { messages } = buildFlaskJudgeRequest({ instance, response: answer.text, skills, prompt });
 * ```
 */
export function buildFlaskJudgeRequest(params: BuildFlaskJudgeRequestParams): {
  userPrompt: string;
  messages: JudgeMessage[];
} {
  const { instance, prompt } = params;
  if (typeof params.response !== "string") {
    throw new InvalidArgumentError({
      parameter: "response",
      value: params.response,
      message: "must be the answer text.",
    });
  }
  const userPrompt = formatPythonTemplate(prompt.prompt_template, {
    question: instance.instruction,
    response: params.response,
    skills: formatFlaskSkills(instance.skill, params.skills),
    num: 3,
    sample_answer: instance.answer,
    ...prompt.defaults,
  });
  return {
    userPrompt,
    messages: [
      { role: "system", content: prompt.system_prompt },
      { role: "user", content: userPrompt },
    ],
  };
}
