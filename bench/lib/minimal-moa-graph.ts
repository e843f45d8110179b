import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import { Annotation, END, Send, START, StateGraph } from "@langchain/langgraph";
import { injectReferences } from "../../src/prompts/index.js";
import { messageText } from "../../src/models/usage.js";

/**
 * The smallest LangGraph MoA that makes the same model calls as `createMixtureOfAgents`: the
 * same shape and `Send` fan-out, plain `Annotation` state, nodes that just call the model with
 * the node's config. No quorum, error records, timeouts, metadata or budget — the floor for
 * "real calls inside LangGraph", to tell the framework's cost from ours.
 */
export function createMinimalMoaGraph(
  proposers: readonly BaseChatModel[],
  aggregator: BaseChatModel,
  layers: number,
) {
  const proposerLayers = layers - 1;
  const State = Annotation.Root({
    messages: Annotation<BaseMessage[]>({ reducer: (_, next) => next, default: () => [] }),
    completedLayers: Annotation<number>({ reducer: (_, next) => next, default: () => 0 }),
    answers: Annotation<{ layer: number; index: number; text: string }[]>({
      reducer: (current, update) => current.concat(update),
      default: () => [],
    }),
    answer: Annotation<string>({ reducer: (_, next) => next, default: () => "" }),
  });
  type S = typeof State.State;
  const references = (state: S, layer: number) =>
    state.answers
      .filter((answer) => answer.layer === layer)
      .sort((a, b) => a.index - b.index)
      .map((answer) => answer.text);
  const dispatch = (state: S) => {
    if (state.completedLayers >= proposerLayers) return "aggregate";
    const layer = state.completedLayers + 1;
    const messages = injectReferences(state.messages, references(state, layer - 1));
    return proposers.map((_, index) => new Send("propose", { layer, index, messages }));
  };
  return new StateGraph(State)
    .addNode("turn", () => ({ completedLayers: 0, answers: [] }))
    .addNode(
      "propose",
      async (task: { layer: number; index: number; messages: BaseMessage[] }, config) => {
        const reply = await proposers[task.index]!.invoke(task.messages, config);
        return { answers: [{ layer: task.layer, index: task.index, text: messageText(reply) }] };
      },
    )
    .addNode("layer", (state: S) => ({ completedLayers: state.completedLayers + 1 }))
    .addNode("aggregate", async (state: S, config) => {
      const messages = injectReferences(state.messages, references(state, proposerLayers));
      return { answer: messageText(await aggregator.invoke(messages, config)) };
    })
    .addEdge(START, "turn")
    .addConditionalEdges("turn", dispatch, ["propose", "aggregate"])
    .addEdge("propose", "layer")
    .addConditionalEdges("layer", dispatch, ["propose", "aggregate"])
    .addEdge("aggregate", END);
}
