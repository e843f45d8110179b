import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { buildMoaGraph, type MoaStateGraph } from "../graph/build-moa-graph.js";
import type { MoaPlan } from "../graph/proposer-spec.js";
import { resolvePlan } from "../graph/resolve-plan.js";
import { configToParams, type ModelLoader } from "./config-to-params.js";
import { MoaConfigSchema, parseMoaConfig, type MoaConfigInput } from "./moa-config.js";

/** Parameters of {@link createConfigurableMixtureOfAgents}. */
export interface CreateConfigurableMixtureOfAgentsParams {
  /** Builds models from the context's "provider:model" strings (e.g. `loadChatModel` with `process.env`). */
  loadModel: ModelLoader;
  /** Configuration used where a run's `context` leaves a field out. @default { preset: "moa" } */
  defaults?: MoaConfigInput;
  /** @see CreateMixtureOfAgentsParams.streamProposerTokens @default true */
  streamProposerTokens?: boolean;
}

const PLAN_CACHE_LIMIT = 32;

/**
 * A Mixture-of-Agents graph whose models are chosen per run from `context` (validated with
 * {@link MoaConfigSchema}): `{ preset, proposers, aggregator, layers, aggregation, samples,
 * temperature, maxTokens, minProposals }` and the reliability and budget fields (`maxCostUsd`,
 * `maxRunTokens`, `budgetCheck`, `expectedOutputTokens`, …). This is what deployments expose, so LangGraph
 * Platform assistants can switch models without a redeploy. An invalid context fails in the
 * first node with `InvalidConfigError`, before any model call.
 *
 * @example
 * ```ts
 * const graph = createConfigurableMixtureOfAgents({ loadModel: (spec, s) => loadChatModel(spec, s) }).compile();
 * await graph.invoke({ messages }, { context: { preset: "moa-lite", aggregator: "openai:gpt-4o" } });
 * ```
 */
export function createConfigurableMixtureOfAgents({
  loadModel,
  defaults = {},
  streamProposerTokens = true,
}: CreateConfigurableMixtureOfAgentsParams): MoaStateGraph {
  // Plans are cached per distinct context so clients (and their connection pools) are reused
  // across runs of the same assistant.
  const plans = new Map<string, MoaPlan>();
  const getPlan = (config: LangGraphRunnableConfig): MoaPlan => {
    const context = { ...defaults, ...definedFields(config.context) };
    const key = JSON.stringify(context);
    let plan = plans.get(key);
    if (plan === undefined) {
      plan = resolvePlan(configToParams(parseMoaConfig(context, "context"), loadModel));
      if (plans.size >= PLAN_CACHE_LIMIT) plans.delete(plans.keys().next().value!);
      plans.set(key, plan);
    }
    return plan;
  };
  return buildMoaGraph({
    getPlan,
    finalNodes: ["synthesize", "rank"],
    streamProposerTokens,
    contextSchema: MoaConfigSchema,
    // Deployments: Studio shows the state, input and context forms from these schemas.
    stateSchemaForStudio: true,
  });
}

function definedFields(context: unknown): Record<string, unknown> {
  if (context == null || typeof context !== "object") return {};
  return Object.fromEntries(
    Object.entries(context).filter(([, value]) => value !== undefined && value !== null),
  );
}
