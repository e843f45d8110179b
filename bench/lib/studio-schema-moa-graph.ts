import { buildMoaGraph } from "../../src/graph/build-moa-graph.js";
import { resolvePlan, type MoaPlanParams } from "../../src/plan/resolve-plan.js";

/**
 * `createMixtureOfAgents`' graph with `MoaStateSchema` itself as LangGraph's state schema, as
 * the deployed graph (`createConfigurableMixtureOfAgents`) has it for Studio: LangGraph then
 * validates every node write against the zod schema. P2 prints what that costs.
 */
export function createStudioSchemaMoaGraph(params: MoaPlanParams) {
  const plan = resolvePlan(params);
  return buildMoaGraph({
    getPlan: () => plan,
    finalNodes: [plan.aggregation],
    streamProposerTokens: true,
    stateSchemaForStudio: true,
  });
}
