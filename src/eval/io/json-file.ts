import { EvalDataError } from "../eval-data-error.js";
import { readTextFile } from "./read-text-file.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/**
 * Reads a JSON file. Non-standard `NaN` / `Infinity` tokens, which Python's `json.dump` writes
 * for missing preferences, are read as `null`.
 */
export async function readJson<T = unknown>(file: string): Promise<T> {
  const text = await readTextFile(file);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    try {
      return JSON.parse(replacePythonNonFinite(text)) as T;
    } catch {
      throw new EvalDataError({ file, message: "is not valid JSON", cause: error });
    }
  }
}

/** Writes `value` as indented JSON (the layout of AlpacaEval's files), atomically. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n");
}

// Replaces bare NaN / Infinity / -Infinity tokens outside strings with null.
function replacePythonNonFinite(text: string): string {
  let result = "";
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] as string;
    if (inString) {
      result += character;
      if (character === "\\") {
        result += text[index + 1] ?? "";
        index += 1;
      } else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') {
      inString = true;
      result += character;
      continue;
    }
    const token = /^(?:-?Infinity|NaN)/.exec(text.slice(index, index + 9))?.[0];
    if (token) {
      result += "null";
      index += token.length - 1;
      continue;
    }
    result += character;
  }
  return result;
}
