/** One entry of OpenAI's `top_logprobs`. */
export interface TopLogprob {
  token: string;
  logprob: number;
}

/** The tokens of the AlpacaEval 2.0 judge: `m` = `output_1` wins, `M` = `output_2` wins. */
export interface LogprobTokens {
  /** @default "m" */
  numeratorToken?: string;
  /** @default ["m", "M"] */
  denominatorTokens?: readonly string[];
}

/**
 * P(numerator) among the allowed tokens from the first generated token's top logprobs, as
 * alpaca_eval's `logprob_parser(is_binarize=False)`: tokens absent from the top list count as
 * log-probability −∞, so one present token gets probability 0 or 1. When **none** of the tokens
 * is in the list upstream returns NaN (a missing preference, later dropped from the win rate
 * and from the GLM fit); so do we.
 *
 * @example
 * ```ts
 * probabilityOfNumerator([{ token: "M", logprob: -0.01 }, { token: "m", logprob: -4.6 }]); // ≈ 0.0101
 * ```
 */
export function probabilityOfNumerator(
  topLogprobs: readonly TopLogprob[],
  tokens: LogprobTokens = {},
): number {
  const numerator = tokens.numeratorToken ?? "m";
  const denominators = tokens.denominatorTokens ?? ["m", "M"];
  const allowed = new Set([...denominators, numerator]);
  // A dict comprehension upstream: a repeated token keeps its last logprob.
  const byToken = new Map<string, number>();
  for (const entry of topLogprobs)
    if (allowed.has(entry.token)) byToken.set(entry.token, entry.logprob);
  if (byToken.size === 0) return Number.NaN;
  const numeratorLogprob = byToken.get(numerator) ?? Number.NEGATIVE_INFINITY;
  const denominatorLogprob = logSumExp(
    denominators.map((token) => byToken.get(token) ?? Number.NEGATIVE_INFINITY),
  );
  return Math.exp(numeratorLogprob - denominatorLogprob);
}

/**
 * The AlpacaEval 2.0 preference for one pair from the judge's logprobs: `2 − P(m)` in the order
 * the judge saw, then `3 − p` when the outputs were shown switched, so 2 always means the
 * evaluated model (`output_2`) wins. NaN when neither `m` nor `M` is among the top logprobs.
 *
 * @example
 * ```ts
 * preferenceFromLogprobs(logprobs, { isSwitched: false }); // 1.99 — the judge picked M = output_2
 * ```
 */
export function preferenceFromLogprobs(
  logprobs: unknown,
  options: { isSwitched: boolean } & LogprobTokens,
): number {
  const top = firstTokenTopLogprobs(logprobs);
  if (top === undefined) return Number.NaN;
  const preference = 2 - probabilityOfNumerator(top, options);
  return options.isSwitched ? 3 - preference : preference;
}

/**
 * The `top_logprobs` of the first generated token from OpenAI's `choices[0].logprobs` (as
 * LangChain exposes it in `response_metadata.logprobs`), or undefined when absent.
 */
export function firstTokenTopLogprobs(logprobs: unknown): TopLogprob[] | undefined {
  const content = (logprobs as { content?: unknown } | null | undefined)?.content;
  if (!Array.isArray(content) || content.length === 0) return undefined;
  const top = (content[0] as { top_logprobs?: unknown } | null)?.top_logprobs;
  if (!Array.isArray(top)) return undefined;
  return top.filter(
    (entry): entry is TopLogprob =>
      entry != null && typeof entry.token === "string" && typeof entry.logprob === "number",
  );
}

// scipy.special.logsumexp: max + log(Σ exp(a − max)); all −∞ gives −∞.
function logSumExp(values: readonly number[]): number {
  const max = Math.max(...values);
  if (max === Number.NEGATIVE_INFINITY) return max;
  let total = 0;
  for (const value of values) total += Math.exp(value - max);
  return max + Math.log(total);
}
