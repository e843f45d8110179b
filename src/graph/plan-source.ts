import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { MoaPlan } from "../plan/proposer-spec.js";

/**
 * Where the nodes get their plan: a constant for {@link createMixtureOfAgents}, or a function of
 * the run's `context` for graphs whose models are chosen per run (deployments).
 */
export type PlanSource = (config: LangGraphRunnableConfig) => MoaPlan;
