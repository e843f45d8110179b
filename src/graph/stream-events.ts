import type { Usage } from "../state/proposal.js";

/** Emitted on `streamMode: "custom"` when a proposer call starts. */
export interface ProposalStartEvent {
  type: "proposal-start";
  layer: number;
  proposerId: string;
  proposerIndex: number;
  sample: number;
}

/** Emitted on `streamMode: "custom"` when a proposer call ends, successfully or not. */
export interface ProposalEndEvent {
  type: "proposal-end";
  layer: number;
  proposerId: string;
  proposerIndex: number;
  sample: number;
  status: "ok" | "error";
  usage?: Usage;
  latencyMs: number;
  error?: string;
}

/** The custom stream events of a MoA graph. */
export type ProposalEvent = ProposalStartEvent | ProposalEndEvent;

/** Narrows a `streamMode: "custom"` chunk to a MoA proposal event. */
export function isProposalEvent(chunk: unknown): chunk is ProposalEvent {
  const type = (chunk as { type?: unknown } | null)?.type;
  return type === "proposal-start" || type === "proposal-end";
}
