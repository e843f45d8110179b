// Diagnostic only, not a supported configuration: `createMixtureOfAgents`' nodes and wiring
// (as in src/graph/build-moa-graph.ts) on a LangGraph `StateSchema` built from the same field
// schemas, instead of the zod object `MoaStateSchema`. LangGraph validates every node write
// against a zod state by building two `.partial()` copies of the state schema and JIT-compiling
// a fresh parser for them (`validateStateUpdates`, langgraph 1.7); a `StateSchema` validates
// each written field with its own, compiled-once schema. P2 prints both to show that cost.
import {
  END,
  MessagesValue,
  ReducedValue,
  START,
  StateGraph,
  StateSchema,
} from "@langchain/langgraph";
import { z } from "zod";
import { MOA_NODES } from "../../src/graph/node-names.js";
import { createAggregateNode } from "../../src/graph/nodes/aggregate-node.js";
import { createLayerNode } from "../../src/graph/nodes/layer-node.js";
import { createProposeNode } from "../../src/graph/nodes/propose-node.js";
import { createTurnNode } from "../../src/graph/nodes/turn-node.js";
import { resolvePlan, type MoaPlanParams } from "../../src/graph/resolve-plan.js";
import { createLayerRouter, createTurnRouter } from "../../src/graph/routers.js";
import { TurnRegistry } from "../../src/graph/turn-coordinator.js";
import { AggregationSchema } from "../../src/state/aggregation.js";
import {
  ProposalSchema,
  ProposalsUpdateSchema,
  UsageSchema,
  reduceProposals,
} from "../../src/state/proposal.js";

/** The MoA graph (synthesize) with a `StateSchema` state; see the file comment. */
export function createStateSchemaMoaGraph(params: MoaPlanParams) {
  const plan = resolvePlan(params);
  const getPlan = () => plan;
  const turns = new TurnRegistry();
  const state = new StateSchema({
    messages: MessagesValue,
    proposals: new ReducedValue(
      z.array(ProposalSchema).default(() => []),
      {
        inputSchema: ProposalsUpdateSchema,
        reducer: reduceProposals,
      },
    ),
    aggregation: AggregationSchema.nullable().optional(),
    usage: UsageSchema.optional(),
    turnId: z.string().optional(),
  });
  const graph = new StateGraph(state) as unknown as StateGraph<any, any, any, string>;
  return graph
    .addNode(MOA_NODES.turn, createTurnNode(getPlan))
    .addNode(MOA_NODES.propose, createProposeNode(getPlan, { streamProposerTokens: true, turns }))
    .addNode(MOA_NODES.layer, createLayerNode(getPlan, turns))
    .addNode(MOA_NODES.aggregate, createAggregateNode(getPlan, turns))
    .addEdge(START, MOA_NODES.turn)
    .addEdge(MOA_NODES.propose, MOA_NODES.layer)
    .addEdge(MOA_NODES.aggregate, END)
    .addConditionalEdges(MOA_NODES.turn, createTurnRouter(getPlan), [
      MOA_NODES.propose,
      MOA_NODES.aggregate,
    ])
    .addConditionalEdges(MOA_NODES.layer, createLayerRouter(getPlan), [
      MOA_NODES.propose,
      MOA_NODES.aggregate,
    ]);
}
