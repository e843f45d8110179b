import type { BaseMessage } from "@langchain/core/messages";
import { MessagesZodMeta, type Messages } from "@langchain/langgraph";
// `ReducedZodChannel` and `Messages` are named here so the declaration emitter can spell the
// schema's type through public entry points.
import type { StateDefinition } from "@langchain/langgraph";
import { registry, schemaMetaRegistry, type ReducedZodChannel } from "@langchain/langgraph/zod";
import { z } from "zod";
import { AggregationSchema, type Aggregation } from "./aggregation.js";
import {
  ProposalSchema,
  ProposalsUpdateSchema,
  UsageSchema,
  reduceProposals,
  type ProposalsUpdate,
  type Usage,
} from "./proposal.js";

/**
 * State of a Mixture-of-Agents graph. `messages` is the conversation (kept across turns on a
 * thread); every other field describes the current turn and is reset when a turn starts.
 */
export const MoaStateSchema = z.object({
  // `.describe()` returns a new schema, so it must come before `.register()` (the registry
  // keys on the instance).
  // An array of anything (not `z.custom`) so the schema converts to JSON Schema for LangGraph
  // Studio's input form; the messages reducer does the real coercion of message-likes.
  messages: (z.array(z.any()) as unknown as z.ZodType<BaseMessage[], BaseMessage[]>)
    .describe("The conversation; the final answer is appended as an AI message.")
    .register(registry, MessagesZodMeta as typeof MessagesZodMeta & Record<string, unknown>),
  proposals: z
    .array(ProposalSchema)
    .describe("This turn's proposals, all layers, sorted by (layer, proposer order, sample).")
    .register(registry, {
      reducer: { schema: ProposalsUpdateSchema, fn: reduceProposals },
      default: () => [],
    }),
  aggregation: AggregationSchema.nullable()
    .optional()
    .describe("What the final node did this turn (model, usage, ranker choice)."),
  usage: UsageSchema.optional().describe("Token totals of this turn, proposers and aggregator."),
  turnId: z.string().optional().describe("Id of the current turn (keys in-process coordination)."),
});

/**
 * What a run accepts as input: any part of the state, each field in the shape its reducer
 * takes (so `messages` accepts message-likes). In practice `{ messages }`: a turn resets every
 * other field. The same schema LangGraph derives for a zod state's input.
 */
export const MoaInputSchema: z.ZodObject = (
  schemaMetaRegistry.getExtendedChannelSchemas(MoaStateSchema, {
    withReducerSchema: true,
  }) as z.ZodObject
).partial();

/**
 * The channels of {@link MoaStateSchema} (its reducers and defaults), as LangGraph derives
 * them from the schema. A graph built on these instead of on the schema itself has the same
 * state, without LangGraph's validation of every node write against the schema.
 */
export function moaStateChannels(): StateDefinition {
  return schemaMetaRegistry.getChannelsForSchema(MoaStateSchema);
}

/** The value of a Mixture-of-Agents graph's state. */
export type MoaState = z.infer<typeof MoaStateSchema>;

/** What a node may write. */
export interface MoaStateUpdate {
  messages?: Messages;
  proposals?: ProposalsUpdate;
  aggregation?: Aggregation | null;
  usage?: Usage;
  turnId?: string;
}

/** The `proposals` channel of {@link MoaStateSchema}: a list with an order-independent reducer. */
export type ProposalsChannel = ReducedZodChannel<
  z.ZodArray<typeof ProposalSchema>,
  typeof ProposalsUpdateSchema
>;
