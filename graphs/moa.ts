/**
 * Deployment entry point (langgraph.json graph id `moa`): a Mixture-of-Agents graph whose
 * models come from each run's `context` — `{ preset, proposers, aggregator, layers,
 * aggregation, samples, temperature, maxTokens, minProposals }` — so LangGraph Platform
 * assistants choose models without a redeploy. Provider base URLs and keys come from the
 * deployment's environment (OPENAI_API_KEY, TOGETHER_API_KEY, …). Size limits (proposers per
 * layer, samples, layers, calls per run) are the deployment owner's, set here: a run's context
 * cannot raise them. It imports only the public entry.
 */
import { z } from "zod";
import {
  DEFAULT_MOA_LIMITS,
  createConfigurableMixtureOfAgents,
  loadChatModel,
} from "../src/index.js";

// This graph keeps MoaStateSchema as its state (Studio reads its forms from it), so LangGraph
// validates each node write with a one-use partial zod schema: zod's JIT
// compile of each costs ~1.5 ms per MoA run (bench P2); interpreted parsing gives the same result.
z.config({ jitless: true });

/** The deployed MoA graph: compiled without a checkpointer (the platform supplies one). */
export const graph = createConfigurableMixtureOfAgents({
  loadModel: (spec, sampling) => loadChatModel(spec, { env: process.env, ...sampling }),
  // Raise a field here (e.g. `{ ...DEFAULT_MOA_LIMITS, maxProposersPerLayer: 128 }`) to allow
  // larger runs; one request above them fails before any model is built.
  limits: DEFAULT_MOA_LIMITS,
}).compile({ name: "moa" });
