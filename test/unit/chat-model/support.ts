import { BaseChatModel, type BindToolsInput } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";

/** One call a {@link ToolCallingFake} received. */
export interface ToolFakeCall {
  messages: BaseMessage[];
  /** Names of the tools bound for this call (empty when none). */
  tools: string[];
  /** The `tool_choice` they were bound with, if any. */
  toolChoice?: unknown;
}

/**
 * A chat model that supports `bindTools`: `reply` gets the messages and the bound tool names and
 * returns the reply (text, or an AIMessage with tool calls). Every call is logged in `calls`,
 * shared by bound copies.
 */
export class ToolCallingFake extends BaseChatModel {
  model = "tool-fake";

  constructor(
    readonly reply: (messages: BaseMessage[], tools: string[]) => string | AIMessage,
    readonly calls: ToolFakeCall[] = [],
    readonly tools: string[] = [],
    readonly toolChoice?: unknown,
  ) {
    super({});
  }

  _llmType(): string {
    return "tool-fake";
  }

  override bindTools(tools: BindToolsInput[], kwargs?: { tool_choice?: unknown }): ToolCallingFake {
    const names = tools.map((entry) => convertToOpenAITool(entry as never).function.name);
    return new ToolCallingFake(this.reply, this.calls, names, kwargs?.tool_choice);
  }

  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.calls.push({
      messages: [...messages],
      tools: this.tools,
      ...(this.toolChoice !== undefined ? { toolChoice: this.toolChoice } : {}),
    });
    const out = this.reply(messages, this.tools);
    const message =
      typeof out === "string"
        ? new AIMessage({ content: out, usage_metadata: usage(3, 2) })
        : new AIMessage({ ...out, usage_metadata: usage(3, 2) } as never);
    return {
      generations: [{ text: typeof message.content === "string" ? message.content : "", message }],
    };
  }
}

function usage(input: number, output: number) {
  return { input_tokens: input, output_tokens: output, total_tokens: input + output };
}
