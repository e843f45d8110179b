/**
 * Reads the ranker's choice from its reply. Accepts the usual forms: `3`, `Response 3`,
 * `[[3]]`, `Output #3`, `The best is 3.`. Returns the 1-based number, or `undefined` when the
 * reply names no single choice (`3 or 4`, `none`, `-1`, `0`, an empty reply).
 *
 * The ranker's reply may quote candidates (which can carry their own `[[n]]` or "answer n"), so
 * the parser reads the ranker's **own final statement**: the last line that names a choice.
 * On that line, the last decisive choice wins: a `[[n]]` verdict marker (FastChat's convention)
 * or a number after "best", "choose", "pick", "select", "prefer", "winner", "verdict" or
 * "final answer"; else the first number named after a word like "response", "output",
 * "answer", "model", "candidate" or "#". A reply with no such line counts when it mentions
 * exactly one distinct number, a whole one.
 *
 * Negative numbers, zero, decimals (`Response 2.5` is a score) and, when `candidates` is given,
 * numbers above it are never a choice.
 *
 * @param candidates the number of candidates the ranker saw; choices above it are skipped.
 */
export function parseRankReply(reply: string, candidates?: number): number | undefined {
  const text = reply.trim();
  if (text === "") return undefined;
  const valid = (value: number) =>
    Number.isInteger(value) && value >= 1 && (candidates === undefined || value <= candidates);

  // The final statement is the last line that names a choice; earlier lines are reasoning and
  // quotes of candidates.
  const lines = text.split("\n");
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index]!;
    const decisive = numbersOf(line, DECISIVE).filter(valid);
    if (decisive.length > 0) return decisive.at(-1);
    const [named] = numbersOf(line, NAMED).filter(valid);
    if (named !== undefined) return named;
  }

  // Decimals and signs count here, so "2.5 out of 5" or "-1" names no identifier.
  const numbers = new Set(text.match(/-?\d+(?:\.\d+)?/g) ?? []);
  const [only] = numbers;
  if (numbers.size === 1 && /^\d+$/.test(only!) && valid(Number(only))) return Number(only);
  return undefined;
}

/**
 * Numbers are captured with their sign and decimals so that `-1`, `0` and `2.5` are read as what
 * they are and rejected, never as the choice `1` or `2`.
 */
const NUMBER = String.raw`(?<![\d.])(-?\d+(?:\.\d+)?)`;
const DECISIVE = new RegExp(
  String.raw`\[\[\s*${NUMBER}\s*\]\]|\b(?:best|choose|chose|choice|pick|select|prefer|winner|verdict|final answer)\b[^\d\n[\]]{0,40}?${NUMBER}`,
  "gi",
);
const NAMED = new RegExp(
  String.raw`\b(?:response|output|answer|model|candidate|option|identifier|number|no\.?)\s*#?\s*${NUMBER}|#\s*${NUMBER}`,
  "gi",
);

function numbersOf(line: string, pattern: RegExp): number[] {
  return [...line.matchAll(pattern)].map((match) => Number(match[1] ?? match[2]));
}
