import { Annotation, END, Send, START, StateGraph } from "@langchain/langgraph";

/**
 * LangGraph's own floor for the MoA shape: the same nodes, edges and `Send` fan-out
 * (turn ─Send×n→ propose → layer ─Send×n→ propose → layer … → aggregate) with nodes that do
 * nothing but return a constant, and a plain append reducer. What is left is the framework's
 * per-superstep and per-task cost.
 */
export function createNoopMoaShapedGraph(proposers: number, layers: number) {
  const proposerLayers = layers - 1;
  const State = Annotation.Root({
    completedLayers: Annotation<number>({ reducer: (_, next) => next, default: () => 0 }),
    proposals: Annotation<string[]>({
      reducer: (current, update) => current.concat(update),
      default: () => [],
    }),
    answer: Annotation<string>({ reducer: (_, next) => next, default: () => "" }),
  });
  type S = typeof State.State;
  const dispatch = (state: S) =>
    state.completedLayers < proposerLayers
      ? Array.from({ length: proposers }, (_, index) => new Send("propose", { index }))
      : "aggregate";
  return new StateGraph(State)
    .addNode("turn", () => ({ completedLayers: 0 }))
    .addNode("propose", (task: { index: number }) => ({ proposals: [`answer ${task.index}`] }))
    .addNode("layer", (state: S) => ({ completedLayers: state.completedLayers + 1 }))
    .addNode("aggregate", () => ({ answer: "final" }))
    .addEdge(START, "turn")
    .addConditionalEdges("turn", dispatch, ["propose", "aggregate"])
    .addEdge("propose", "layer")
    .addConditionalEdges("layer", dispatch, ["propose", "aggregate"])
    .addEdge("aggregate", END);
}
