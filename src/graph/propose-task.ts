import type { BaseMessage } from "@langchain/core/messages";
import type { BudgetSpend } from "../errors/budget-exceeded-error.js";

/** The payload of one `Send` to the propose node. */
export interface ProposeTask {
  layer: number;
  proposerIndex: number;
  sample: number;
  /** What this proposer sees: the conversation, with the previous layer's references for layer ≥ 2. */
  messages: BaseMessage[];
  /** The turn's id: branches of one turn share a coordinator (straggler cut-off, budget). */
  turnId: string;
  /** Set when the context guard shortened this proposer's references. */
  referencesTruncated?: boolean;
  /** What the turn had spent before this layer (only with a budget; survives restarts). */
  spentBefore?: BudgetSpend;
}
