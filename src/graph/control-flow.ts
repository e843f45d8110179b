import { isGraphBubbleUp } from "@langchain/langgraph";
import { redactSecrets } from "../errors/redact-secrets.js";

/**
 * True for errors that must propagate untouched: LangGraph control flow (interrupts, parent
 * commands) and the cancellation of the whole run. Everything else a proposer throws becomes
 * an error proposal.
 */
export function isControlFlowError(error: unknown, runSignal: AbortSignal | undefined): boolean {
  return isGraphBubbleUp(error) || runSignal?.aborted === true;
}

/**
 * A one-line, credential-free description of an error for state and reports: redacted (see
 * `redactSecrets`) before it is cut to 500 characters, so no cut leaves part of a key behind.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== "Error" ? `${error.name}: ` : "";
    return redactSecrets(`${name}${error.message}`.split("\n")[0]!.slice(0, 500));
  }
  return redactSecrets(String(error).slice(0, 500));
}
