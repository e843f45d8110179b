import { randomUUID } from "node:crypto";
import {
  BaseCallbackHandler,
  type HandleLLMNewTokenCallbackFields,
} from "@langchain/core/callbacks/base";
import type { Callbacks } from "@langchain/core/callbacks/manager";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";

/** Key of `response_metadata` that keeps the provider's own id of an answer message. */
export const PROVIDER_MESSAGE_ID_KEY = "providerMessageId";

/**
 * Gives the final answer of a turn an id of its own. LangGraph's `messages` reducer replaces a
 * message whose id it already holds, and a provider's completion id is not unique across a
 * thread (ids restart with a process, some providers repeat them): kept as the message id, a
 * repeated one overwrites an earlier answer. The provider's id moves to
 * `response_metadata.providerMessageId`.
 *
 * The streamed chunks get the same id, so a `streamMode: "messages"` consumer sees one message
 * (tokens and node output under one id) and LangGraph does not emit the answer a second time
 * when the node returns it.
 */
export interface AnswerMessageId {
  /** The answer's own id (`moa-answer-<uuid>`). */
  readonly id: string;
  /** The model call's callbacks with the chunk relabelling handler in front. */
  callbacks(callbacks: Callbacks | undefined): Callbacks;
  /** The reply as an `AIMessage` under the answer's id, the provider's id in metadata. */
  label(reply: BaseMessage): AIMessage;
}

/** Starts the id of one answer; see {@link AnswerMessageId}. */
export function createAnswerMessageId(): AnswerMessageId {
  const id = `moa-answer-${randomUUID()}`;
  const relabel = new ChunkIdHandler(id);
  return {
    id,
    callbacks: (callbacks) => prependHandler(callbacks, relabel),
    label(reply) {
      const providerId = relabel.providerId ?? providerIdOf(reply.id, id);
      const fields = reply as AIMessage;
      return new AIMessage({
        content: reply.content,
        id,
        name: reply.name,
        additional_kwargs: reply.additional_kwargs,
        response_metadata: {
          ...reply.response_metadata,
          ...(providerId === undefined ? {} : { [PROVIDER_MESSAGE_ID_KEY]: providerId }),
        },
        tool_calls: fields.tool_calls,
        invalid_tool_calls: fields.invalid_tool_calls,
        usage_metadata: fields.usage_metadata,
      });
    },
  };
}

// Renames every streamed chunk before the other handlers see it, and remembers the provider's
// id. It must run first and synchronously: LangGraph's stream handler reads the chunk's id when
// it is called (or when its queued call runs), so this handler is put in front and awaited.
class ChunkIdHandler extends BaseCallbackHandler {
  name = "moa_answer_message_id";
  override awaitHandlers = true;
  providerId: string | undefined;

  constructor(private readonly id: string) {
    super();
  }

  override handleLLMNewToken(
    _token: string,
    _index: unknown,
    _runId: string,
    _parentRunId?: string,
    _tags?: string[],
    fields?: HandleLLMNewTokenCallbackFields,
  ): void {
    const message = (fields?.chunk as { message?: BaseMessage } | undefined)?.message;
    if (message === undefined) return;
    this.providerId ??= providerIdOf(message.id, this.id);
    message.id = this.id;
    message.lc_kwargs.id = this.id;
  }
}

// `run-…` ids are LangChain's stand-ins for a missing provider id, not the provider's.
function providerIdOf(id: string | undefined, own: string): string | undefined {
  return id === undefined || id === own || id.startsWith("run-") ? undefined : id;
}

function prependHandler(callbacks: Callbacks | undefined, handler: BaseCallbackHandler): Callbacks {
  if (callbacks === undefined) return [handler];
  if (Array.isArray(callbacks)) return [handler, ...callbacks];
  const manager = callbacks.copy();
  manager.handlers.unshift(handler);
  return manager;
}
