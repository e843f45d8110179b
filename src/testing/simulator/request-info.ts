import { countTokens } from "./whitespace-tokens.js";

/** A chat message as the simulator reads it: the role and the message's text. */
export interface SimulatorMessage {
  /** `system`, `developer`, `user`, `assistant`, `tool`, … as sent. */
  role: string;
  /** Text content; multi-part content is joined from its text parts, other parts are dropped. */
  content: string;
}

/**
 * What the simulator understood of one chat-completions request. Reply functions, fault scripts
 * and logprob hooks receive it.
 */
export interface SimulatorRequestInfo {
  /** The `model` field of the request. */
  model: string;
  /** 0-based index of this call among the calls to `model` since start (or the last `reset()`). */
  callIndex: number;
  /** The messages, in order, reduced to role and text. */
  messages: SimulatorMessage[];
  /** Text of the last `user` message ("" when there is none). */
  lastUserMessage: string;
  /**
   * Number of numbered references in the system text, as the MoA Aggregate-and-Synthesize prompt
   * appends them (see {@link countReferences}).
   */
  references: number;
  /** Number of `user` messages. */
  turns: number;
  /** `temperature` of the request, when sent. */
  temperature?: number;
  /** `max_completion_tokens`, else `max_tokens`, when sent. */
  maxTokens?: number;
  /** Whether the client asked for a stream. */
  stream: boolean;
  /** Prompt size in whitespace tokens (the sum over all messages). */
  promptTokens: number;
  /** The parsed request body, untouched. */
  body: Record<string, unknown>;
}

/**
 * The line after which the MoA Aggregate-and-Synthesize prompt lists its references
 * (the last line of `AGGREGATE_AND_SYNTHESIZE_PROMPT`).
 */
export const REFERENCES_HEADER = "Responses from models:";

/**
 * Counts the numbered references of an Aggregate-and-Synthesize system text: the lines
 * `"1. …"`, `"2. …"`, … that follow the last line equal to {@link REFERENCES_HEADER}.
 *
 * Only lines continuing the sequence count (the next one must be numbered `count + 1`), so a
 * numbered list *inside* a reference does not inflate the count unless its numbers happen to
 * continue the sequence. Returns 0 when the header is absent.
 *
 * References in the `referenceFormat: "delimited"` rendering (the header followed by
 * `<reference index="1">`) are counted by their opening tags, which a reference cannot forge.
 *
 * @example
 * ```ts
 * countReferences("…\nResponses from models:\n1. Paris\n2. Paris, France"); // 2
 * ```
 */
export function countReferences(systemText: string): number {
  const lines = systemText.split("\n");
  const firstHeader = lines.findIndex((line) => line.trim() === REFERENCES_HEADER);
  if (firstHeader >= 0 && lines[firstHeader + 1] === '<reference index="1">') {
    let delimited = 0;
    for (const line of lines.slice(firstHeader + 1)) {
      if (line === `<reference index="${delimited + 1}">`) delimited += 1;
    }
    return delimited;
  }
  let headerIndex = -1;
  lines.forEach((line, index) => {
    if (line.trim() === REFERENCES_HEADER) headerIndex = index;
  });
  if (headerIndex < 0) return 0;
  let count = 0;
  for (const line of lines.slice(headerIndex + 1)) {
    const match = /^(\d+)\. /.exec(line);
    if (match !== null && Number(match[1]) === count + 1) count += 1;
  }
  return count;
}

/**
 * Reduces OpenAI message content (a string, `null`, or an array of parts) to its text.
 *
 * @example
 * ```ts
 * messageText([{ type: "text", text: "a" }, { type: "image_url", image_url: {} }, { type: "text", text: "b" }]); // "a\nb"
 * ```
 */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => {
      if (typeof part === "string") return part;
      if (typeof part === "object" && part !== null && "text" in part) {
        const { text } = part as { text: unknown };
        return typeof text === "string" ? text : "";
      }
      return "";
    })
    .filter((text) => text !== "")
    .join("\n");
}

/** A request body that passed {@link checkChatRequest}. */
export interface CheckedChatRequest {
  body: Record<string, unknown>;
  model: string;
  messages: SimulatorMessage[];
}

/** Why a chat request was rejected: the OpenAI `param` at fault and a message. */
export interface ChatRequestProblem {
  param: string | null;
  message: string;
}

/**
 * Checks the fields the simulator needs (`model`, `messages`) and returns them, or the problem
 * to report as a 400 `invalid_request_error`.
 */
export function checkChatRequest(body: unknown): CheckedChatRequest | ChatRequestProblem {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { param: null, message: "The request body must be a JSON object." };
  }
  const record = body as Record<string, unknown>;
  if (typeof record.model !== "string" || record.model === "") {
    return { param: "model", message: "you must provide a model parameter" };
  }
  if (!Array.isArray(record.messages) || record.messages.length === 0) {
    return {
      param: "messages",
      message: "'messages' must be a non-empty array of { role, content } objects.",
    };
  }
  const messages: SimulatorMessage[] = [];
  for (const [index, message] of (record.messages as unknown[]).entries()) {
    if (typeof message !== "object" || message === null || !("role" in message)) {
      return {
        param: `messages.[${index}]`,
        message: `Invalid value for 'messages[${index}]': expected an object with a 'role'.`,
      };
    }
    const { role, content } = message as { role: unknown; content?: unknown };
    messages.push({ role: String(role), content: messageText(content) });
  }
  return { body: record, model: record.model, messages };
}

/**
 * Builds the {@link SimulatorRequestInfo} of a checked request.
 */
export function describeChatRequest(
  request: CheckedChatRequest,
  callIndex: number,
): SimulatorRequestInfo {
  const { body, model, messages } = request;
  const systemText = messages
    .filter((message) => message.role === "system" || message.role === "developer")
    .map((message) => message.content)
    .join("\n");
  const userMessages = messages.filter((message) => message.role === "user");
  const info: SimulatorRequestInfo = {
    model,
    callIndex,
    messages,
    lastUserMessage: userMessages.at(-1)?.content ?? "",
    references: countReferences(systemText),
    turns: userMessages.length,
    stream: body.stream === true,
    promptTokens: messages.reduce((total, message) => total + countTokens(message.content), 0),
    body,
  };
  const temperature = finiteNumber(body.temperature);
  if (temperature !== undefined) info.temperature = temperature;
  const maxTokens = finiteNumber(body.max_completion_tokens) ?? finiteNumber(body.max_tokens);
  if (maxTokens !== undefined) info.maxTokens = maxTokens;
  return info;
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
