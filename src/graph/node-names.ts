/**
 * Names of the nodes of a Mixture-of-Agents graph. They appear in stream metadata
 * (`langgraph_node`), traces and `getGraph()`; match on these constants, never on literals.
 */
export const MOA_NODES = {
  /** Starts a turn: clears the per-turn fields and dispatches proposer layer 1. */
  turn: "turn",
  /** One proposer call (one `Send` per proposer and sample). */
  propose: "propose",
  /** Closes a proposer layer: checks the quorum, dispatches the next layer or the final node. */
  layer: "layer",
  /** The final Aggregate-and-Synthesize call. */
  aggregate: "aggregate",
  /** The LLM-ranker variant of the final node (`aggregation: "rank"`). */
  rank: "rank",
} as const;

/** Values of {@link MOA_NODES}. */
export type MoaNodeName = (typeof MOA_NODES)[keyof typeof MOA_NODES];
