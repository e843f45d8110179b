/**
 * Example deployment (langgraph.json graph id `moa-router`): Mixture-of-Agents as **one node of
 * a larger agent graph**. A router sends hard questions to the MoA subgraph and easy ones to a
 * single model (the MoA's aggregator, answering alone), so the expensive ensemble only runs
 * where it pays off.
 *
 * ```
 * START ─(routeQuestion)─┬─→ moa    (the compiled MoA graph, as a subgraph) ─→ END
 *                        └─→ single (one model call)                       ─→ END
 * ```
 *
 * The parent state is LangGraph's `MessagesAnnotation`: the MoA subgraph hands back the final
 * AI message, without duplicates. The run's `context` is the MoA configuration (the same
 * fields as graph `moa`), and the subgraph reads it from the parent's run.
 *
 * Stream MoA's answer tokens through the parent with subgraphs on:
 *
 * ```ts
 * for await (const [namespace, [chunk, metadata]] of await graph.stream(input, {
 *   streamMode: "messages",
 *   subgraphs: true,
 *   context: { preset: "moa-lite" },
 * })) {
 *   // namespace is ["moa:<task id>"] for MoA tokens (metadata.moa_role === "aggregator"),
 *   // [] for the single model's tokens.
 * }
 * ```
 *
 * Without `subgraphs: true` the parent's `messages` stream carries the single model's tokens
 * only; MoA's answer still arrives whole in the final state.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import type { InteropZodObject } from "@langchain/core/utils/types";
import {
  END,
  MessagesAnnotation,
  START,
  StateGraph,
  type LangGraphRunnableConfig,
} from "@langchain/langgraph";
import {
  MoaConfigSchema,
  createConfigurableMixtureOfAgents,
  loadChatModel,
  parseMoaConfig,
  type ModelLoader,
} from "../src/index.js";

/** Node names of the router graph. */
export const ROUTER_NODES = {
  /** The Mixture-of-Agents subgraph. */
  moa: "moa",
  /** One call to the configured aggregator model, alone. */
  single: "single",
} as const;

const HARD_WORDS =
  /\b(why|how|explain|compare|contrast|prove|derive|design|analy[sz]e|evaluate|trade-?offs?)\b/i;
const HARD_WORD_COUNT = 12;

/**
 * The example's routing rule: a question is hard when it is long (12 words or more) or asks for
 * reasoning (why, how, explain, compare, prove, design, analyse, …). Replace it with a
 * classifier model in a real agent.
 *
 * @example
 * ```ts
 * looksHard("What is the capital of France?"); // false
 * looksHard("Why is the sky blue?");           // true
 * ```
 */
export function looksHard(question: string): boolean {
  const words = question.trim().split(/\s+/).filter(Boolean).length;
  return words >= HARD_WORD_COUNT || HARD_WORDS.test(question);
}

/** Parameters of {@link createRouterGraph}. */
export interface CreateRouterGraphParams {
  /** Builds models from the context's "provider:model" strings (e.g. `loadChatModel`). */
  loadModel: ModelLoader;
  /** Decides which questions go to MoA. @default looksHard */
  isHard?: (question: string) => boolean;
}

/**
 * Builds the router graph (uncompiled, like every factory of this package): `moa` for hard
 * questions, `single` for easy ones. MoA's proposer tokens are kept out of the `messages`
 * stream, so a chat UI streaming the parent shows only answer tokens.
 *
 * @example
 * ```ts
 * const graph = createRouterGraph({ loadModel: (spec, sampling) => loadChatModel(spec, sampling) }).compile();
 * const state = await graph.invoke(
 *   { messages: [{ role: "user", content: "Explain why the sky is blue." }] },
 *   { context: { preset: "moa-lite" } },
 * );
 * ```
 */
export function createRouterGraph({ loadModel, isHard = looksHard }: CreateRouterGraphParams) {
  const moa = createConfigurableMixtureOfAgents({
    loadModel,
    streamProposerTokens: false,
  }).compile();
  const models = new Map<string, BaseChatModel>();

  const single = async (
    state: typeof MessagesAnnotation.State,
    config: LangGraphRunnableConfig,
  ): Promise<typeof MessagesAnnotation.Update> => {
    const resolved = parseMoaConfig(definedFields(config.context), "context");
    const key = JSON.stringify([resolved.aggregator, resolved.temperature, resolved.maxTokens]);
    let model = models.get(key);
    if (model === undefined) {
      model = loadModel(resolved.aggregator, {
        temperature: resolved.temperature,
        maxTokens: resolved.maxTokens,
      });
      models.set(key, model);
    }
    const reply = await model.invoke(state.messages, {
      ...config,
      runName: `single · ${resolved.aggregator}`,
    });
    return { messages: [reply] };
  };

  const routeQuestion = (state: typeof MessagesAnnotation.State) =>
    isHard(lastUserText(state.messages)) ? ROUTER_NODES.moa : ROUTER_NODES.single;

  // Typed loosely on purpose: LangGraph would otherwise type `context` as the schema's *output*
  // (every option required), while callers pass a partial configuration the graph completes.
  const contextSchema: InteropZodObject = MoaConfigSchema;
  return new StateGraph(MessagesAnnotation, contextSchema)
    .addNode(ROUTER_NODES.moa, moa)
    .addNode(ROUTER_NODES.single, single)
    .addConditionalEdges(START, routeQuestion, [ROUTER_NODES.moa, ROUTER_NODES.single])
    .addEdge(ROUTER_NODES.moa, END)
    .addEdge(ROUTER_NODES.single, END);
}

function lastUserText(messages: readonly BaseMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.getType() === "human") {
      return typeof message.content === "string" ? message.content : message.text;
    }
  }
  return "";
}

// Studio may send empty fields as null; the MoA graph ignores them the same way.
function definedFields(context: unknown): Record<string, unknown> {
  if (context == null || typeof context !== "object") return {};
  return Object.fromEntries(Object.entries(context).filter(([, value]) => value != null));
}

/** The deployed router graph; provider base URLs and keys come from the environment. */
export const graph = createRouterGraph({
  loadModel: (spec, sampling) => loadChatModel(spec, { env: process.env, ...sampling }),
}).compile({ name: "moa-router" });
