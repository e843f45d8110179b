import { RANK_SYSTEM_PROMPT } from "../../prompts/rank-prompt.js";
import type { SimulatorRequestInfo } from "./request-info.js";
import { countTokens } from "./whitespace-tokens.js";

/** Every synthetic reply starts with this text, followed by the model name and `]`. */
export const SYNTHETIC_REPLY_PREFIX = "[sim:";

/** Number of words of the last user message quoted in a synthetic reply. */
export const SYNTHETIC_EXCERPT_WORDS = 8;

/** Length of a synthetic reply, in words, when the model's `outputTokens` is not set. */
export const DEFAULT_OUTPUT_TOKENS = 32;

// Filler vocabulary: plain words with no `|`, so the parser can always find the excerpt's end.
const FILLER_WORDS = [
  "lorem",
  "ipsum",
  "dolor",
  "sit",
  "amet",
  "consectetur",
  "adipiscing",
  "elit",
  "sed",
  "do",
  "eiusmod",
  "tempor",
];

/** The fields a synthetic reply reveals about the request that produced it. */
export interface SyntheticReplyFields {
  /** The `model` the request named. */
  model: string;
  /** 0-based per-model call index. */
  call: number;
  /** Number of numbered references in the system text. */
  references: number;
  /** Number of user messages. */
  turns: number;
  /** The request's `temperature`; `undefined` when the request did not send one. */
  temperature: number | undefined;
  /** The first {@link SYNTHETIC_EXCERPT_WORDS} words of the last user message (`|` → `/`). */
  excerpt: string;
  /** Number of filler words after the header. */
  fillerWords: number;
}

/**
 * Builds the default reply of a simulated model. It reveals what the model received, so tests
 * can check MoA wiring through real HTTP:
 *
 * ```text
 * [sim:<model>] call=<n> refs=<k> turns=<u> temp=<t> | <excerpt> | <filler…>
 * ```
 *
 * - `<n>`: 0-based call index of this model; `<k>`: numbered references after
 *   `"Responses from models:"` in the system text; `<u>`: number of user messages;
 *   `<t>`: the request's temperature, or `default` when none was sent;
 * - `<excerpt>`: the first {@link SYNTHETIC_EXCERPT_WORDS} words of the last user message on one
 *   line, with `|` replaced by `/`;
 * - filler words (`lorem ipsum …`) pad the reply to `outputTokens` words; a header longer than
 *   that is kept whole.
 *
 * The reply is one line and deterministic for a given request. Read it back with
 * {@link parseSyntheticReply}.
 *
 * @example
 * ```ts
 * buildSyntheticReply({ model: "m", callIndex: 0, references: 2, turns: 1, lastUserMessage: "Hi there" }, 12);
 * // "[sim:m] call=0 refs=2 turns=1 temp=default | Hi there | lorem ipsum dolor"
 * ```
 */
export function buildSyntheticReply(
  request: Pick<
    SimulatorRequestInfo,
    "model" | "callIndex" | "references" | "turns" | "temperature" | "lastUserMessage"
  >,
  outputTokens: number = DEFAULT_OUTPUT_TOKENS,
): string {
  const excerpt = (request.lastUserMessage.match(/\S+/g) ?? [])
    .slice(0, SYNTHETIC_EXCERPT_WORDS)
    .join(" ")
    .replaceAll("|", "/");
  const temperature = request.temperature === undefined ? "default" : String(request.temperature);
  const header =
    `${SYNTHETIC_REPLY_PREFIX}${request.model}] call=${request.callIndex} ` +
    `refs=${request.references} turns=${request.turns} temp=${temperature} | ${excerpt} |`;
  const fillerCount = Math.max(0, outputTokens - countTokens(header));
  const filler = Array.from(
    { length: fillerCount },
    (_, index) => FILLER_WORDS[(request.callIndex + index) % FILLER_WORDS.length],
  );
  return fillerCount === 0 ? header : `${header} ${filler.join(" ")}`;
}

/**
 * The default reply to an LLM-ranker prompt (`buildRankMessages`: its system text, then the
 * numbered model outputs): a valid model identifier, so a simulated ranker takes the normal
 * path rather than its fallback. Call `i` of a model picks candidate `n - (i mod n)` of `n`, the
 * last one first (a choice the fallback, which takes candidate 1, would not make). Returns
 * `undefined` for any other request.
 *
 * @example
 * ```ts
 * const messages = buildRankMessages({ query: "q", candidates: ["a", "b", "c"] });
 * // a simulated ranker's first call answers "3"
 * ```
 */
export function buildSyntheticRankChoice(
  request: Pick<SimulatorRequestInfo, "messages" | "callIndex">,
): string | undefined {
  const [system, user] = request.messages;
  if (system?.role !== "system" || system.content !== RANK_SYSTEM_PROMPT) return undefined;
  const candidates = user?.content.match(/"model_identifier":/g)?.length ?? 0;
  if (candidates === 0) return undefined;
  return String(candidates - (request.callIndex % candidates));
}

const SYNTHETIC_REPLY_PATTERN =
  /^\[sim:(.+?)\] call=(\d+) refs=(\d+) turns=(\d+) temp=(\S+) \| (.*?) ?\|(?: (.*))?$/s;

/**
 * Reads the fields of a synthetic reply (see {@link buildSyntheticReply}). Returns `undefined`
 * for text that is not a whole synthetic reply header, for example one cut short by
 * `max_tokens`. Surrounding whitespace is ignored.
 *
 * @example
 * ```ts
 * parseSyntheticReply("[sim:m] call=0 refs=2 turns=1 temp=0.7 | Hi there | lorem")?.references; // 2
 * ```
 */
export function parseSyntheticReply(text: string): SyntheticReplyFields | undefined {
  const match = SYNTHETIC_REPLY_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const [, model, call, references, turns, temperature, excerpt, filler] = match;
  const parsedTemperature = temperature === "default" ? undefined : Number(temperature);
  if (parsedTemperature !== undefined && Number.isNaN(parsedTemperature)) return undefined;
  return {
    model: model ?? "",
    call: Number(call),
    references: Number(references),
    turns: Number(turns),
    temperature: parsedTemperature,
    excerpt: excerpt ?? "",
    fillerWords: countTokens(filler ?? ""),
  };
}
