import type { InteropZodObject } from "@langchain/core/utils/types";
import {
  END,
  START,
  StateGraph,
  type ExtractStateType,
  type ExtractUpdateType,
  type StateDefinitionInit,
  type StateGraphInit,
} from "@langchain/langgraph";
import { MoaInputSchema, MoaStateSchema, moaStateChannels } from "../state/moa-state.js";
import { MOA_NODES, type MoaNodeName } from "./node-names.js";
import { createAggregateNode } from "./nodes/aggregate-node.js";
import { createLayerNode } from "./nodes/layer-node.js";
import { createProposeNode } from "./nodes/propose-node.js";
import { createRankNode } from "./nodes/rank-node.js";
import { createTurnNode } from "./nodes/turn-node.js";
import type { PlanSource } from "./plan-source.js";
import { TurnRegistry } from "./turn-coordinator.js";
import { createLayerRouter, createTurnRouter } from "./routers.js";
import type { AggregationStrategy } from "../plan/proposer-spec.js";

/**
 * The uncompiled graph the factories return: MoA state, node names from {@link MOA_NODES}.
 * Compile it with your checkpointer: `graph.compile({ checkpointer })`.
 */
export type MoaStateGraph = StateGraph<
  typeof MoaStateSchema,
  ExtractStateType<typeof MoaStateSchema>,
  ExtractUpdateType<typeof MoaStateSchema, ExtractStateType<typeof MoaStateSchema>>,
  MoaNodeName
>;

/** Options shared by the static and the per-run-configurable MoA graphs. */
export interface BuildMoaGraphOptions {
  getPlan: PlanSource;
  /** Final nodes the graph must contain (both for graphs configured per run). */
  finalNodes: readonly AggregationStrategy[];
  streamProposerTokens: boolean;
  /** Zod schema of the run's `context` (deployed graphs choose their models with it). */
  contextSchema?: InteropZodObject;
  /**
   * Give LangGraph {@link MoaStateSchema} itself as the state schema. LangGraph Studio reads the
   * state and input JSON schemas from it, and LangGraph then also validates every node write
   * against it, rebuilding a partial zod schema per write (langgraph 1.7: about a fifth of the
   * graph's own orchestration time, bench P2). Otherwise the graph gets the same channels
   * ({@link moaStateChannels}), its input is still validated ({@link MoaInputSchema}) and its
   * output schema is still `MoaStateSchema`; only the per-write re-validation of our own nodes'
   * typed output is skipped.
   */
  stateSchemaForStudio?: boolean;
}

/**
 * Wires the MoA graph:
 *
 * ```
 * START → turn ─(Send × fan-out)→ propose → layer ─(Send × fan-out)→ propose → layer … → aggregate | rank → END
 * ```
 *
 * `turn` and `layer` are the per-layer dispatch points: their routers emit one `Send` per
 * (proposer, sample), every branch of a layer runs in the same superstep, and the `proposals`
 * reducer merges their results whatever order they finish in.
 */
export function buildMoaGraph({
  getPlan,
  finalNodes,
  streamProposerTokens,
  contextSchema,
  stateSchemaForStudio = false,
}: BuildMoaGraphOptions): MoaStateGraph {
  const finals = finalNodes.map((strategy) =>
    strategy === "rank" ? MOA_NODES.rank : MOA_NODES.aggregate,
  );
  // Branches of one turn coordinate (straggler cut-off, budget) through this registry.
  const turns = new TurnRegistry();
  const context = contextSchema ? { context: contextSchema } : {};
  const init: StateGraphInit<
    StateDefinitionInit,
    StateDefinitionInit | undefined,
    StateDefinitionInit | undefined,
    StateDefinitionInit | undefined
  > = stateSchemaForStudio
    ? { state: MoaStateSchema, ...context }
    : { state: moaStateChannels(), input: MoaInputSchema, output: MoaStateSchema, ...context };
  // `init` is checked against LangGraph's init type above; the constructor's overloads cannot
  // infer a state type from a union of state kinds (the graph is typed below).
  const graph = new StateGraph(init as never);
  // Nodes write `ProposalsReset` updates the zod-derived update type cannot express, and only
  // the reachable final nodes are added (so `getGraph()` draws no orphans): wire untyped.
  const wiring = graph as unknown as StateGraph<any, any, any, string>;
  wiring
    .addNode(MOA_NODES.turn, createTurnNode(getPlan))
    .addNode(MOA_NODES.propose, createProposeNode(getPlan, { streamProposerTokens, turns }))
    .addNode(MOA_NODES.layer, createLayerNode(getPlan, turns))
    .addEdge(START, MOA_NODES.turn)
    .addEdge(MOA_NODES.propose, MOA_NODES.layer);
  if (finals.includes(MOA_NODES.aggregate)) {
    wiring.addNode(MOA_NODES.aggregate, createAggregateNode(getPlan, turns));
    wiring.addEdge(MOA_NODES.aggregate, END);
  }
  if (finals.includes(MOA_NODES.rank)) {
    wiring.addNode(MOA_NODES.rank, createRankNode(getPlan, turns));
    wiring.addEdge(MOA_NODES.rank, END);
  }
  const branches = [MOA_NODES.propose, ...finals];
  wiring.addConditionalEdges(MOA_NODES.turn, createTurnRouter(getPlan), branches);
  wiring.addConditionalEdges(MOA_NODES.layer, createLayerRouter(getPlan), branches);
  return graph as unknown as MoaStateGraph;
}
