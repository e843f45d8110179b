/**
 * Task files and the exact-match metric of Co-LLM evaluations: pure functions.
 *
 * Answers are compared as final answers: a GSM8K solution's `#### <number>` line, else the last
 * number of the text (GSM8K-style extraction: commas dropped, `12.0` read as `12`), else the
 * whole trimmed text.
 *
 * @module
 */
import { InvalidConfigError, type ConfigIssue } from "../errors/invalid-config-error.js";
import type { CoLlmTask } from "./tasks.js";

const NUMBER = /-?\d[\d,]*(?:\.\d+)?|-?\.\d+/g;

/** A number's canonical text: no commas, no leading `+`, no trailing fractional zeros. */
export function normalizeNumber(text: string): string {
  let value = text.replaceAll(",", "").replace(/^\+/, "");
  if (value.startsWith(".")) value = `0${value}`;
  if (value.startsWith("-.")) value = `-0${value.slice(1)}`;
  if (value.includes(".")) value = value.replace(/0+$/, "").replace(/\.$/, "");
  value = value.replace(/^(-?)0+(?=\d)/, "$1");
  return value === "-0" ? "0" : value;
}

/**
 * The final answer of a model's text or a reference solution: what follows `####` (GSM8K), else
 * the last number, else `undefined`.
 *
 * @example
 * ```ts
 * extractFinalAnswer("She pays 3 * 4 = 12 dollars.\n#### 12"); // "12"
 * extractFinalAnswer("The answer is 1,250.");                   // "1250"
 * extractFinalAnswer("No idea.");                               // undefined
 * ```
 */
export function extractFinalAnswer(text: string): string | undefined {
  const marker = text.lastIndexOf("####");
  const tail = marker >= 0 ? text.slice(marker + 4) : text;
  const numbers = tail.match(NUMBER);
  if (numbers === null) {
    const rest = tail.trim();
    return marker >= 0 && rest !== "" ? rest : undefined;
  }
  return normalizeNumber(marker >= 0 ? numbers[0]! : numbers.at(-1)!);
}

/** The reference answer of a task: its `#### x` or numeric answer normalised, else its trimmed text. */
export function referenceAnswer(answer: string): string {
  if (answer.includes("####")) return extractFinalAnswer(answer) ?? answer.trim();
  const trimmed = answer.trim();
  return /^[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)$/.test(trimmed) ? normalizeNumber(trimmed) : trimmed;
}

/**
 * True when `prediction` ends with the task's answer: numeric answers are compared with the
 * prediction's final number, others as exact (trimmed) strings.
 */
export function isExactMatch(prediction: string, answer: string): boolean {
  const reference = referenceAnswer(answer);
  if (/^-?\d+(?:\.\d+)?$/.test(reference)) return extractFinalAnswer(prediction) === reference;
  return prediction.trim() === reference;
}

/** Share of predictions that match their task's answer (index for index); 0 for none. */
export function exactMatchRate(
  predictions: readonly string[],
  tasks: readonly Pick<CoLlmTask, "answer">[],
): number {
  if (predictions.length !== tasks.length) {
    throw new RangeError(
      `exactMatchRate needs one prediction per task: ${predictions.length} predictions for ${tasks.length} tasks.`,
    );
  }
  if (tasks.length === 0) return 0;
  const matches = predictions.filter((prediction, index) =>
    isExactMatch(prediction, tasks[index]!.answer),
  ).length;
  return matches / tasks.length;
}

/**
 * Reads JSONL tasks, one object per line: `{ "prompt": …, "answer": … }`, or GSM8K's
 * `{ "question": …, "answer": "…\n#### 72" }` (its answer is kept whole; metrics read the
 * `####` line). Blank lines are skipped.
 *
 * @param source - The file name, for error messages.
 * @throws InvalidConfigError listing every bad line.
 */
export function parseTasksJsonl(text: string, source = "tasks"): CoLlmTask[] {
  const tasks: CoLlmTask[] = [];
  const issues: ConfigIssue[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const path = `line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      issues.push({ path, message: "not a JSON object" });
      return;
    }
    const record = (typeof value === "object" && value !== null ? value : {}) as Record<
      string,
      unknown
    >;
    const prompt = record.prompt ?? record.question;
    const answer = record.answer;
    if (typeof prompt !== "string" || prompt === "") {
      issues.push({ path, message: 'needs a non-empty string "prompt" (or GSM8K\'s "question")' });
    } else if (typeof answer !== "string" && typeof answer !== "number") {
      issues.push({ path, message: 'needs an "answer" (a string or a number)' });
    } else {
      tasks.push({ prompt, answer: String(answer) });
    }
  });
  if (issues.length > 0) throw new InvalidConfigError({ source, issues });
  return tasks;
}
