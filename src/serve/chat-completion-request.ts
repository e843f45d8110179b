import { z } from "zod";
import { openAIError, type OpenAIErrorBody } from "./openai-error.js";

const textPart = z.object({ type: z.literal("text"), text: z.string() });

const content = z.union([z.string(), z.array(textPart)], {
  error: "must be a string or an array of text parts",
});

/** An OpenAI `tool_calls[i]` of an assistant message. */
const toolCall = z.object({
  id: z.string().min(1, "must be the tool call's id"),
  type: z.literal("function").optional(),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const message = z.object({
  role: z.enum(["system", "developer", "user", "assistant", "tool"], {
    error: 'must be "system", "developer", "user", "assistant" or "tool"',
  }),
  // An assistant message that calls tools may have `content: null`.
  content: content.nullish(),
  name: z.string().optional(),
  tool_calls: z.array(toolCall).nullish(),
  tool_call_id: z.string().optional(),
});

/** An OpenAI function tool; it reaches the aggregator as it is (`aggregatorTools`). */
const tool = z.object({
  type: z.literal("function", { error: 'must be "function" (only function tools exist)' }),
  function: z.looseObject({
    name: z.string().min(1, "must name the function"),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

const tokenCap = z.number().int("must be a whole number").min(1, "must be ≥ 1").nullish();

/**
 * The `POST /v1/chat/completions` body the server accepts: OpenAI's fields, unknown ones
 * ignored (clients send `top_p`, `presence_penalty`, … which MoA does not use).
 */
export const ChatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1, "must name a model; list them with `GET /v1/models`"),
  messages: z
    .array(message)
    .min(1, "needs at least one message")
    .superRefine((messages, context) => {
      messages.forEach((entry, index) => {
        if (entry.role === "tool" && !entry.tool_call_id) {
          context.addIssue({
            code: "custom",
            path: [index, "tool_call_id"],
            message: "a tool message needs the `tool_call_id` of the call it answers",
          });
        } else if (
          entry.content == null &&
          !(entry.role === "assistant" && entry.tool_calls?.length)
        ) {
          context.addIssue({
            code: "custom",
            path: [index, "content"],
            message: "must be a string or an array of text parts",
          });
        }
      });
    }),
  tools: z.array(tool).nullish(),
  /** `"none"` leaves the tools out; `"auto"`, `"required"` and a named tool let the aggregator choose. */
  tool_choice: z
    .union([
      z.enum(["none", "auto", "required"]),
      z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
    ])
    .nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0, "must be ≥ 0").max(2, "must be ≤ 2").nullish(),
  max_tokens: tokenCap,
  max_completion_tokens: tokenCap,
  stop: z
    .union([z.string(), z.array(z.string()).max(4, "at most 4 stop sequences")], {
      error: "must be a string or an array of up to 4 strings",
    })
    .nullish(),
  n: z.literal(1, { error: "only 1 is supported (one MoA answer per request)" }).nullish(),
});

/** A validated chat-completion request. */
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

/** Fields the server does not support (yet): legacy function calling and structured output. */
const UNSUPPORTED_FIELDS = ["functions", "function_call", "response_format"];

/** The outcome of {@link parseChatCompletionRequest}. */
export type ParsedChatCompletionRequest =
  { ok: true; request: ChatCompletionRequest } | { ok: false; error: OpenAIErrorBody };

/**
 * Validates a chat-completion body. A bad field gives OpenAI's `invalid_request_error` naming
 * it in `param` (`messages[0].content`), as OpenAI's own API does.
 */
export function parseChatCompletionRequest(body: unknown): ParsedChatCompletionRequest {
  if (typeof body === "object" && body !== null) {
    const unsupported = UNSUPPORTED_FIELDS.find(
      (field) => (body as Record<string, unknown>)[field] != null,
    );
    if (unsupported !== undefined) {
      return {
        ok: false,
        error: openAIError(
          unsupported === "response_format"
            ? "`response_format` is not supported yet: offer a function tool in `tools` for structured output, or leave `response_format` out."
            : `\`${unsupported}\` (legacy function calling) is not supported: send \`tools\` and \`tool_choice\` instead.`,
          "invalid_request_error",
          unsupported === "response_format" ? unsupported : "tools",
          "unsupported_parameter",
        ),
      };
    }
  }
  const parsed = ChatCompletionRequestSchema.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0]!;
  const param = formatPath(issue.path);
  return {
    ok: false,
    error: openAIError(
      param ? `Invalid \`${param}\`: ${issue.message}` : `Invalid request body: ${issue.message}`,
      "invalid_request_error",
      param || null,
      "invalid_value",
    ),
  };
}

/** `["messages", 0, "content"]` → `messages[0].content`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`,
    )
    .join("");
}
