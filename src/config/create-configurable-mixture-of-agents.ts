import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { buildMoaGraph, type MoaStateGraph } from "../graph/build-moa-graph.js";
import type { MoaPlan } from "../plan/proposer-spec.js";
import { resolvePlan } from "../plan/resolve-plan.js";
import { configToParams, type ModelLoader } from "./config-to-params.js";
import { resolveLimits, type MoaLimits } from "../plan/moa-limits.js";
import { createMoaConfigSchema, parseMoaConfig, type MoaConfigInput } from "./moa-config.js";

/** Parameters of {@link createConfigurableMixtureOfAgents}. */
export interface CreateConfigurableMixtureOfAgentsParams {
  /** Builds models from the context's "provider:model" strings (e.g. `loadChatModel` with `process.env`). */
  loadModel: ModelLoader;
  /** Configuration used where a run's `context` leaves a field out. @default { preset: "moa" } */
  defaults?: MoaConfigInput;
  /** @see CreateMixtureOfAgentsParams.streamProposerTokens @default true */
  streamProposerTokens?: boolean;
  /**
   * Size limits of every run (proposers per layer, samples, layers, calls per run), set by the
   * deployment owner: a run's `context` can never raise them (it has no `limits` field), and a
   * context above them fails with `InvalidConfigError` before any model is built.
   * @default DEFAULT_MOA_LIMITS: { maxProposersPerLayer: 64, maxSamples: 16, maxLayers: 16, maxCallsPerRun: 512 }
   */
  limits?: Partial<MoaLimits>;
}

const PLAN_CACHE_LIMIT = 32;

/**
 * A Mixture-of-Agents graph whose models are chosen per run from `context` (validated with
 * `MoaConfigSchema` under the graph's `limits`): `{ preset, proposers, aggregator, layers,
 * aggregation, samples, temperature, maxTokens, minProposals }` and the reliability and budget
 * fields (`maxCostUsd`, `maxRunTokens`, `budgetCheck`, `expectedOutputTokens`, …). This is what
 * deployments expose, so LangGraph
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
  limits: limitOverrides,
}: CreateConfigurableMixtureOfAgentsParams): MoaStateGraph {
  const limits = resolveLimits(limitOverrides);
  // Plans are cached per distinct context so clients (and their connection pools) are reused
  // across runs of the same assistant.
  const plans = new Map<string, MoaPlan>();
  const getPlan = (config: LangGraphRunnableConfig): MoaPlan => {
    const context = { ...defaults, ...definedFields(config.context) };
    const key = JSON.stringify(context);
    let plan = plans.get(key);
    if (plan === undefined) {
      const config = parseMoaConfig(context, "context", limits);
      plan = resolvePlan({ ...configToParams(config, loadModel), limits });
      if (plans.size >= PLAN_CACHE_LIMIT) plans.delete(plans.keys().next().value!);
      plans.set(key, plan);
    }
    return plan;
  };
  return buildMoaGraph({
    getPlan,
    finalNodes: ["synthesize", "rank"],
    streamProposerTokens,
    contextSchema: lenientContextSchema(limits),
    // Deployments: Studio shows the state, input and context forms from these schemas.
    stateSchemaForStudio: true,
  });
}

/**
 * The context schema handed to LangGraph: the configuration's fields (so Studio draws the
 * context form with their types, bounds and descriptions) but never failing. LangGraph parses
 * `context` with it before the first node and would throw the raw `ZodError` (its JSON as the
 * message, echoing the input); the turn node's `parseMoaConfig` reports the same problems as
 * a bounded, readable `InvalidConfigError` instead.
 */
function lenientContextSchema(limits: MoaLimits) {
  const strict = createMoaConfigSchema(limits);
  const fields = Object.fromEntries(
    Object.entries(strict.shape).map(([key, field]: [string, z.ZodType]) => {
      // `.catch()` hides a default from the JSON schema, so a default is put back outside it.
      let lenient: z.ZodType =
        field instanceof z.ZodDefault
          ? (field.unwrap() as z.ZodType).catch(undefined).default(field.def.defaultValue)
          : field.catch(undefined);
      if (field.description !== undefined) lenient = lenient.describe(field.description);
      return [key, lenient];
    }),
  );
  return z.object(fields).loose();
}

function definedFields(context: unknown): Record<string, unknown> {
  if (context == null || typeof context !== "object") return {};
  return Object.fromEntries(
    Object.entries(context).filter(([, value]) => value !== undefined && value !== null),
  );
}
