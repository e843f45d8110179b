/**
 * Log-probabilities in the shape of OpenAI's `choices[i].logprobs.content`, synthesized per
 * whitespace token. Deterministic, so a judge that reads logprobs (AlpacaEval's weighted
 * win-rate uses `max_tokens: 1` and the top 5 logprobs of that token) can be tested offline.
 */

/** A candidate token and its log-probability. */
export interface TokenCandidate {
  token: string;
  logprob: number;
}

/** One alternative in `top_logprobs`, as OpenAI sends it. */
export interface TopLogprob extends TokenCandidate {
  /** UTF-8 bytes of `token`. */
  bytes: number[];
}

/** The logprobs of one generated token, as OpenAI sends them. */
export interface TokenLogprob extends TopLogprob {
  /** The `top_logprobs` most likely tokens at this position, most likely first. */
  top_logprobs: TopLogprob[];
}

const encoder = new TextEncoder();

/**
 * Builds `logprobs.content` for the generated `tokens`.
 *
 * Without a script, token `i` gets a logprob in `[-0.41, -0.01]` and `topLogprobs - 1`
 * alternatives named `<alt-1>`, `<alt-2>`, … one nat apart below it. With `scriptedFirst`, the
 * first token's `top_logprobs` are the scripted candidates (most likely first, cut to
 * `topLogprobs`) and its own logprob is the scripted one of the same token (compared without
 * surrounding whitespace), else the highest scripted one.
 *
 * @example
 * ```ts
 * buildLogprobs(["m"], 2, [{ token: "M", logprob: -2 }, { token: "m", logprob: -0.1 }])[0].top_logprobs;
 * // [{ token: "m", logprob: -0.1, bytes: [109] }, { token: "M", logprob: -2, bytes: [77] }]
 * ```
 */
export function buildLogprobs(
  tokens: readonly string[],
  topLogprobs: number,
  scriptedFirst?: readonly TokenCandidate[],
): TokenLogprob[] {
  const width = Math.max(0, Math.floor(topLogprobs));
  return tokens.map((token, index) => {
    if (index === 0 && scriptedFirst !== undefined && scriptedFirst.length > 0) {
      const ranked = [...scriptedFirst].sort((left, right) => right.logprob - left.logprob);
      const own = ranked.find((candidate) => candidate.token.trim() === token.trim()) ?? ranked[0];
      return {
        ...withBytes({ token, logprob: own?.logprob ?? 0 }),
        top_logprobs: ranked.slice(0, width).map(withBytes),
      };
    }
    const logprob = -(0.01 + 0.1 * ((index * 7) % 5));
    const alternatives = Array.from({ length: Math.max(0, width - 1) }, (_, rank) =>
      withBytes({ token: `<alt-${rank + 1}>`, logprob: logprob - (rank + 1) }),
    );
    const chosen = withBytes({ token, logprob });
    return { ...chosen, top_logprobs: width === 0 ? [] : [chosen, ...alternatives] };
  });
}

function withBytes(candidate: TokenCandidate): TopLogprob {
  return {
    token: candidate.token,
    logprob: candidate.logprob,
    bytes: Array.from(encoder.encode(candidate.token)),
  };
}
