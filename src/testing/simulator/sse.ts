/**
 * Server-sent events framing as the OpenAI streaming API uses it: one `data:` line per event,
 * a blank line after each, and a literal `[DONE]` sentinel at the end.
 */

/** The sentinel event that ends an OpenAI stream. */
export const SSE_DONE = "data: [DONE]\n\n";

/**
 * Frames one SSE event: objects are JSON-encoded, strings are sent verbatim (the fault injector
 * uses that to send a line that is not JSON).
 *
 * @example
 * ```ts
 * formatSseEvent({ choices: [] }); // 'data: {"choices":[]}\n\n'
 * ```
 */
export function formatSseEvent(payload: unknown): string {
  const data = typeof payload === "string" ? payload : JSON.stringify(payload);
  return `data: ${data}\n\n`;
}
