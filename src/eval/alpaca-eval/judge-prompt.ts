import { vendoredDataPath } from "../data-directory.js";
import { EvalDataError } from "../eval-data-error.js";
import { readTextFile } from "../io/read-text-file.js";
import type { JudgeMessage } from "../judge-call.js";
import { pythonStrip } from "../python/strip.js";

/** The fields an AlpacaEval pairwise prompt is filled with (after position switching). */
export interface AlpacaEvalPromptFields {
  instruction: string;
  /** The output shown as model identifier `m`. */
  output_1: string;
  /** The output shown as model identifier `M`. */
  output_2: string;
}

/**
 * Reads the AlpacaEval 2.0 judge template (`alpaca_eval_clf.txt`, ChatML).
 * @default path the vendored `data/alpaca_eval/judge/alpaca_eval_clf.txt`
 */
export async function loadAlpacaEvalJudgeTemplate(path?: string): Promise<string> {
  const file = path ?? vendoredDataPath("alpaca_eval", "judge", "alpaca_eval_clf.txt");
  return readTextFile(file);
}

/**
 * Fills a template as alpaca_eval's `make_prompts` does (batch size 1): placeholders are the
 * `{name}` tokens without whitespace, taken in order of first appearance, and each is replaced
 * at its **first** occurrence in the text built so far (`str.replace(…, 1)`, not `str.format`:
 * braces elsewhere stay as they are, and an instruction that itself contains `{output_1}` is
 * treated exactly like upstream treats it).
 */
export function fillAlpacaEvalTemplate(
  template: string,
  fields: Readonly<Record<string, string>>,
): string {
  const placeholders: string[] = [];
  for (const match of template.matchAll(/\{([^\s]+?)\}/g)) {
    const name = match[1] as string;
    if (!placeholders.includes(name)) placeholders.push(name);
  }
  let prompt = template;
  for (const name of placeholders) {
    const value = fields[name];
    if (value === undefined) {
      throw new EvalDataError({
        file: "judge template",
        message: `has a placeholder \`{${name}}\` with no value`,
      });
    }
    const token = `{${name}}`;
    const at = prompt.indexOf(token);
    if (at !== -1) prompt = prompt.slice(0, at) + value + prompt.slice(at + token.length);
  }
  return prompt;
}

/**
 * Splits a ChatML prompt into messages exactly as alpaca_eval's `prompt_to_chatml`: the prompt
 * is stripped, cut at every `<|im_start|>`; the role is the first line, the content the rest up
 * to `<|im_end|>`, both stripped (Python's whitespace set); `system name=x` sets a name.
 */
export function chatMlToMessages(prompt: string): JudgeMessage[] {
  const start = "<|im_start|>";
  const end = "<|im_end|>";
  const stripped = pythonStrip(prompt);
  if (!stripped.startsWith(start) || !stripped.endsWith(end)) {
    throw new EvalDataError({
      file: "judge template",
      message: `must start with ${start} and end with ${end}`,
    });
  }
  const messages: JudgeMessage[] = [];
  for (const part of stripped.split(start).slice(1)) {
    const newline = part.indexOf("\n");
    if (newline === -1)
      throw new EvalDataError({
        file: "judge template",
        message: "has a ChatML role line without content",
      });
    let role = pythonStrip(part.slice(0, newline));
    const rest = part.slice(newline + 1);
    const endAt = rest.indexOf(end);
    const content = pythonStrip(endAt === -1 ? rest : rest.slice(0, endAt));
    const parameters: Record<string, string> = {};
    if (role.startsWith("system") && role !== "system") {
      for (const piece of role.slice("system".length).split(" ")) {
        if (piece.length === 0) continue;
        const equals = piece.indexOf("=");
        if (equals !== -1) parameters[piece.slice(0, equals)] = piece.slice(equals + 1);
      }
      role = "system";
    }
    if (role !== "system" && role !== "user" && role !== "assistant") {
      throw new EvalDataError({
        file: "judge template",
        message: `has an unknown ChatML role \`${role}\``,
      });
    }
    messages.push({ role, content, ...(parameters.name ? { name: parameters.name } : {}) });
  }
  return messages;
}

/**
 * The AlpacaEval 2.0 judge request for one pair: the template filled, then turned from ChatML
 * into a system and a user message — byte for byte what alpaca_eval sends to the API.
 *
 * @example
 * ```ts
 * const template = await loadAlpacaEvalJudgeTemplate();
 * const [system, user] = buildAlpacaEvalJudgeMessages(template, { instruction, output_1, output_2 });
 * ```
 */
export function buildAlpacaEvalJudgeMessages(
  template: string,
  fields: AlpacaEvalPromptFields,
): JudgeMessage[] {
  return chatMlToMessages(fillAlpacaEvalTemplate(template, { ...fields }));
}
