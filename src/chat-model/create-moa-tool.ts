import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import {
  createMixtureOfAgents,
  type CreateMixtureOfAgentsParams,
} from "../graph/create-mixture-of-agents.js";
import { messageText } from "../models/usage.js";
import type { MoaState } from "../state/moa-state.js";
import { moaRunDetails } from "./moa-run-details.js";

/** Parameters of {@link createMoaTool}: the MoA's, plus the tool's name and description. */
export interface CreateMoaToolParams extends Omit<CreateMixtureOfAgentsParams, "aggregatorTools"> {
  /** Tool name the agent calls. @default "mixture_of_agents" */
  name?: string;
  /** What the agent reads to decide when to call it. */
  description?: string;
}

const MoaToolInputSchema = z.object({
  question: z.string().min(1).describe("The question to answer, self-contained."),
  context: z
    .string()
    .optional()
    .describe("Background the answer needs (facts gathered so far, constraints)."),
});

/**
 * A Mixture-of-Agents as a LangChain tool: input `{ question, context? }`, output the MoA's
 * answer. The tool answers in `"content_and_artifact"` format: the `ToolMessage`'s content is
 * the answer text and its `artifact` a {@link MoaRunDetails} (proposals, aggregation, summed
 * usage), which the agent's model never sees. `context`, when given, reaches every model as a
 * system message before the question. Each call is one turn without a checkpointer.
 *
 * @example
 * ```ts
 * import { createReactAgent } from "@langchain/langgraph/prebuilt";
 * import { createMoaTool } from "langgraph-moa";
 *
 * const askPanel = createMoaTool({ proposers: [modelA, modelB], aggregator: modelC, layers: 2 });
 * const agent = createReactAgent({ llm: planner, tools: [askPanel] });
 * ```
 */
export function createMoaTool(params: CreateMoaToolParams) {
  const { name, description, ...moa } = params;
  const graph = createMixtureOfAgents(moa).compile({ checkpointer: false });
  return tool(
    async ({ question, context }, config) => {
      const messages: BaseMessage[] = [
        ...(context ? [new SystemMessage(`Context:\n${context}`)] : []),
        new HumanMessage(question),
      ];
      const state = (await graph.invoke(
        { messages },
        { callbacks: config?.callbacks, signal: config?.signal },
      )) as MoaState;
      return [messageText(state.messages.at(-1)!), moaRunDetails(state)] as const;
    },
    {
      name: name ?? "mixture_of_agents",
      description:
        description ??
        "Asks a panel of language models (Mixture-of-Agents) and returns their synthesized answer. Use it for hard questions that benefit from several independent answers.",
      schema: MoaToolInputSchema,
      responseFormat: "content_and_artifact",
    },
  );
}
