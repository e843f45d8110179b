// A tiny judge double that answers like ChatOpenAI with `logprobs: true, topLogprobs: 5`:
// `response_metadata.logprobs.content[0].top_logprobs`.
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";

export type TopEntries = [token: string, logprob: number][];

export class FakeLogprobJudge extends BaseChatModel {
  readonly calls: BaseMessage[][] = [];
  model = "fake-gpt-4-1106-preview";
  logprobs: boolean;
  maxTokens = 1;
  topLogprobs = 5;

  constructor(
    private readonly decide: (messages: BaseMessage[]) => TopEntries | undefined,
    options: { logprobs?: boolean } = {},
  ) {
    super({});
    this.logprobs = options.logprobs ?? true;
  }

  _llmType(): string {
    return "fake-logprob-judge";
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.calls.push(messages);
    await Promise.resolve();
    const entries = this.decide(messages);
    const text = entries?.[0]?.[0] ?? "";
    const logprobs = entries
      ? {
          content: [
            {
              token: text,
              logprob: entries[0]![1],
              top_logprobs: entries.map(([token, logprob]) => ({ token, logprob })),
            },
          ],
        }
      : undefined;
    const message = new AIMessage({
      content: text,
      response_metadata: logprobs ? { logprobs } : {},
      usage_metadata: { input_tokens: 1000, output_tokens: 1, total_tokens: 1001 },
    });
    return {
      generations: [{ text, message, ...(logprobs ? { generationInfo: { logprobs } } : {}) }],
    };
  }
}
