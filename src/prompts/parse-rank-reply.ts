/**
 * Reads the ranker's choice from its reply. Accepts the usual forms: `3`, `Response 3`,
 * `[[3]]`, `Output #3`, `The best is 3.`. Returns the 1-based number, or `undefined` when the
 * reply names no single number (`3 or 4`, `none`, an empty reply). Range checks are the caller's.
 *
 * Rules, in order: a `[[n]]` verdict marker (FastChat's convention) wins; then a number named
 * after a word like "response", "output", "answer", "model", "candidate" or "#"; then a reply
 * that mentions exactly one distinct number, a whole one.
 */
export function parseRankReply(reply: string): number | undefined {
  const text = reply.trim();
  if (text === "") return undefined;
  const marked = /\[\[\s*(\d+)\s*\]\]/.exec(text);
  if (marked) return Number(marked[1]);
  // `(?!\.?\d)`: "Response 2.5" or "#1.5" is a score, not an identifier.
  const named =
    /\b(?:response|output|answer|model|candidate|option|identifier|number|no\.?)\s*#?\s*(\d+)(?!\.?\d)/i.exec(
      text,
    ) ?? /#\s*(\d+)(?!\.?\d)/.exec(text);
  if (named) return Number(named[1]);
  // Decimals count as numbers here, so "2.5 out of 5" names no single identifier.
  const numbers = new Set(text.match(/\d+(?:\.\d+)?/g) ?? []);
  const [only] = numbers;
  if (numbers.size === 1 && /^\d+$/.test(only!)) return Number(only);
  return undefined;
}
