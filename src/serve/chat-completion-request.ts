import { z } from "zod";
import { openAIError, type OpenAIErrorBody } from "./openai-error.js";

const textPart = z.object({ type: z.literal("text"), text: z.string() });

const message = z.object({
  role: z.enum(["system", "developer", "user", "assistant"], {
    error:
      'must be "system", "developer", "user" or "assistant" (tool messages are not supported yet)',
  }),
  content: z.union([z.string(), z.array(textPart)], {
    error: "must be a string or an array of text parts",
  }),
  name: z.string().optional(),
});

const tokenCap = z.number().int("must be a whole number").min(1, "must be ≥ 1").nullish();

/**
 * The `POST /v1/chat/completions` body the server accepts: OpenAI's fields, unknown ones
 * ignored (clients send `top_p`, `presence_penalty`, … which MoA does not use).
 */
export const ChatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1, "must name a model; list them with `GET /v1/models`"),
  messages: z.array(message).min(1, "needs at least one message"),
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

/** Fields that need tool calling, which the server does not support yet. */
const UNSUPPORTED_FIELDS = [
  "tools",
  "tool_choice",
  "functions",
  "function_call",
  "response_format",
];

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
          `\`${unsupported}\` is not supported yet: this MoA server answers with text only; leave \`${unsupported}\` out.`,
          "invalid_request_error",
          unsupported === "tool_choice" || unsupported === "functions" ? "tools" : unsupported,
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
