import type { BaseMessage } from "@langchain/core/messages";
import type { CheckpointTuple } from "@langchain/langgraph";
import { messageText } from "../models/index.js";
import type { Aggregation } from "../state/aggregation.js";
import type { Proposal, Usage } from "../state/proposal.js";

/** One message of a thread's conversation, as `moa threads show` and `export` print it. */
export interface ThreadMessage {
  /** LangChain's message type: `human`, `ai`, `system`, `tool`. */
  type: string;
  content: string;
  id?: string;
}

/** One turn of a thread: a prompt, the run it started and (when finished) the answer. */
export interface ThreadTurn {
  /** 1-based. */
  index: number;
  /** The messages the turn added to the conversation (its prompt and its answer). */
  messages: ThreadMessage[];
  /** The text of the turn's last human message. */
  prompt: string;
  /** The final answer; `undefined` when the turn never finished (see `moa resume`). */
  answer?: string;
  finished: boolean;
  /** This turn's proposals, all layers. */
  proposals: Proposal[];
  aggregation: Aggregation | null;
  usage: Usage;
  /** When the turn's input was written and when its last checkpoint was (ISO 8601). */
  startedAt: string;
  updatedAt: string;
}

interface MoaChannelValues {
  messages?: BaseMessage[];
  proposals?: Proposal[];
  aggregation?: Aggregation | null;
  usage?: Usage;
  turnId?: string;
}

/**
 * Splits a thread's checkpoint history into turns. Every `invoke`/`stream` with input writes an
 * `input` checkpoint first, so each `input` checkpoint opens a turn and the turn's state is its
 * last checkpoint before the next one (a `moa resume` writes no input and continues the same
 * turn). A turn is finished when its final node ran: the turn node gave the state a new
 * `turnId` (resetting `aggregation`), and `aggregation` is set again. Accepts the tuples in any
 * order (`checkpointer.list` yields newest first).
 */
export function threadTurns(tuples: readonly CheckpointTuple[]): ThreadTurn[] {
  const ordered = [...tuples].sort((a, b) => step(a) - step(b));
  const segments: CheckpointTuple[][] = [];
  for (const tuple of ordered) {
    if (tuple.metadata?.source === "input" || segments.length === 0) segments.push([]);
    segments.at(-1)!.push(tuple);
  }
  let seen = 0;
  let previousTurnId: string | undefined;
  return segments.map((segment, index) => {
    const last = segment.at(-1)!;
    const values = last.checkpoint.channel_values as MoaChannelValues;
    const messages = (values.messages ?? []).map(toThreadMessage);
    const added = messages.slice(Math.min(seen, messages.length));
    seen = messages.length;
    const finished =
      values.aggregation != null && values.turnId !== undefined && values.turnId !== previousTurnId;
    previousTurnId = values.turnId;
    const prompt = [...added].reverse().find((message) => message.type === "human");
    return {
      index: index + 1,
      messages: added,
      prompt: prompt?.content ?? "",
      ...(finished ? { answer: messages.findLast((m) => m.type === "ai")?.content ?? "" } : {}),
      finished,
      proposals: finished ? (values.proposals ?? []) : [],
      aggregation: finished ? (values.aggregation ?? null) : null,
      usage: (finished && values.usage) || { inputTokens: 0, outputTokens: 0 },
      startedAt: segment[0]!.checkpoint.ts,
      updatedAt: last.checkpoint.ts,
    };
  });
}

function step(tuple: CheckpointTuple): number {
  return tuple.metadata?.step ?? 0;
}

function toThreadMessage(message: BaseMessage): ThreadMessage {
  return {
    type: message.getType(),
    content: messageText(message),
    ...(message.id !== undefined ? { id: message.id } : {}),
  };
}
