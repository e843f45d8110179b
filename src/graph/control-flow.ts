import { isGraphBubbleUp } from "@langchain/langgraph";

/**
 * True for errors that must propagate untouched: LangGraph control flow (interrupts, parent
 * commands) and the cancellation of the whole run. Everything else a proposer throws becomes
 * an error proposal.
 */
export function isControlFlowError(error: unknown, runSignal: AbortSignal | undefined): boolean {
  return isGraphBubbleUp(error) || runSignal?.aborted === true;
}

/** A one-line, credential-free description of an error for state and reports. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== "Error" ? `${error.name}: ` : "";
    return redactSecrets(`${name}${error.message}`.split("\n")[0]!.slice(0, 500));
  }
  return redactSecrets(String(error).slice(0, 500));
}

/** Masks API-key-looking strings (sk-…, gsk_…, Bearer tokens) in a message. */
export function redactSecrets(text: string): string {
  return (
    text
      .replace(/Bearer\s+[A-Za-z0-9._~+/=-]{8,}/g, "Bearer ***")
      .replace(/\b(sk|gsk|tgp|pk|rk)[-_][A-Za-z0-9._-]{8,}/g, "$1-***")
      // "Incorrect API key provided: <key>", "api_key=<key>", "x-api-key: <key>": whatever the key's shape.
      .replace(/(api[ _-]?key(?: provided)?\s*[:=]\s*)[^\s,;"')]{6,}/gi, "$1***")
  );
}
