/**
 * The simulator's token model: one token per whitespace-separated word.
 *
 * Real tokenizers split text into sub-word pieces; the simulator does not need their accuracy,
 * only a count that is cheap, deterministic and easy to predict in a test (`"a b c"` is three
 * tokens). The same rule drives `usage`, `max_tokens` truncation, streaming chunks, logprobs and
 * `contextWindow` checks, so they always agree with each other.
 */

/**
 * Counts the whitespace-separated words of `text`.
 *
 * @example
 * ```ts
 * countTokens("  Paris is\nnice "); // 3
 * ```
 */
export function countTokens(text: string): number {
  const words = text.match(/\S+/g);
  return words === null ? 0 : words.length;
}

/**
 * Splits `text` into tokens, each word carrying the whitespace before it (like a real
 * tokenizer's `" word"` pieces), so `splitTokens(text).join("") === text` for every string.
 * Trailing whitespace is attached to the last token; whitespace-only text is one token.
 *
 * @example
 * ```ts
 * splitTokens("Paris is nice"); // ["Paris", " is", " nice"]
 * ```
 */
export function splitTokens(text: string): string[] {
  if (text === "") return [];
  const tokens = text.match(/\s*\S+/g);
  if (tokens === null) return [text];
  const covered = tokens.reduce((length, token) => length + token.length, 0);
  if (covered < text.length) tokens[tokens.length - 1] += text.slice(covered);
  return tokens;
}

/**
 * Keeps the first `maxTokens` words of `text` (with the whitespace between them), dropping
 * whatever follows the last kept word. Returns `text` unchanged when it is short enough.
 *
 * @example
 * ```ts
 * truncateToTokens("one two three", 2); // { text: "one two", truncated: true }
 * ```
 */
export function truncateToTokens(
  text: string,
  maxTokens: number,
): { text: string; truncated: boolean } {
  if (countTokens(text) <= maxTokens) return { text, truncated: false };
  const kept = (text.match(/\s*\S+/g) ?? []).slice(0, Math.max(0, maxTokens));
  return { text: kept.join(""), truncated: true };
}
