import { InvalidArgumentError } from "../../errors/index.js";
import { describeFaultProblem, type FaultScript } from "./fault-script.js";
import { describeLatencyProblem, type LatencySpec } from "./latency.js";
import type { SimulatorRequestInfo } from "./request-info.js";
import type { TokenCandidate } from "./synthetic-logprobs.js";

/**
 * How one simulated model behaves. Every field is optional: an empty behaviour answers at once
 * with a synthetic reply.
 *
 * @example
 * ```ts
 * const behaviour: ModelBehaviour = {
 *   latencyMs: { distribution: "normal", mean: 400, sd: 80 },
 *   tokensPerSecond: 60,
 *   outputTokens: 120,
 *   faults: [undefined, { kind: "status", status: 503 }],
 * };
 * ```
 */
export interface ModelBehaviour {
  /**
   * Time to the first byte of every answer (errors included; a `hang` never answers). Draws from
   * a distribution are seeded and deterministic per call index.
   * @default 0
   */
  latencyMs?: LatencySpec;
  /**
   * Streaming pace: token `i` is sent `i / tokensPerSecond` seconds after the first. For
   * non-streaming requests the answer is delayed by `completionTokens / tokensPerSecond` seconds
   * more. Unset: no pacing.
   */
  tokensPerSecond?: number;
  /**
   * The reply: fixed text or a function of the request.
   * @default the synthetic reply (see `buildSyntheticReply`); to an LLM-ranker prompt, a valid
   * choice (see `buildSyntheticRankChoice`)
   */
  reply?: string | ((request: SimulatorRequestInfo) => string);
  /**
   * Length of the synthetic reply in words (ignored when `reply` is set).
   * @default 32
   */
  outputTokens?: number;
  /**
   * Tool calling: when the request offers `tools` and its last message is the user's, reply with
   * a call of the first tool (required string arguments set to the user's text, finish reason
   * `"tool_calls"`); after a tool result, answer in text as usual (see `syntheticToolCall`).
   * @default false
   */
  callTools?: boolean;
  /**
   * Context window in whitespace tokens: a prompt longer than this gets OpenAI's 400
   * `context_length_exceeded`. Unset: no limit.
   */
  contextWindow?: number;
  /** Injected faults, scripted per call. */
  faults?: FaultScript;
  /**
   * Scripts the `top_logprobs` of the first generated token when the request asks for
   * `logprobs`; later tokens get synthetic logprobs.
   * @example () => [{ token: "m", logprob: -0.05 }, { token: "M", logprob: -3.2 }]
   */
  logprobs?: (request: SimulatorRequestInfo) => readonly TokenCandidate[];
}

/**
 * Checks a behaviour and throws {@link InvalidArgumentError} naming `parameter` (for example
 * `models.gpt-4o.latencyMs`) when a field is invalid. Fault scripts given as arrays are checked
 * entry by entry; faults returned by functions are checked when they are used.
 */
export function checkModelBehaviour(behaviour: ModelBehaviour, parameter: string): void {
  if (typeof behaviour !== "object" || behaviour === null) {
    throw new InvalidArgumentError({
      parameter,
      value: behaviour,
      message: "a model behaviour must be an object (use `{}` for the defaults).",
    });
  }
  const latencyProblem = describeLatencyProblem(behaviour.latencyMs);
  if (latencyProblem !== undefined) {
    throw new InvalidArgumentError({
      parameter: `${parameter}.latencyMs`,
      value: behaviour.latencyMs,
      message: `${latencyProblem}.`,
    });
  }
  const positive: Array<"tokensPerSecond" | "contextWindow"> = ["tokensPerSecond", "contextWindow"];
  for (const field of positive) {
    const value = behaviour[field];
    if (
      value !== undefined &&
      !(typeof value === "number" && value > 0 && Number.isFinite(value))
    ) {
      throw new InvalidArgumentError({
        parameter: `${parameter}.${field}`,
        value,
        message: "must be a finite number > 0 (leave it unset for no limit).",
      });
    }
  }
  const { outputTokens } = behaviour;
  if (outputTokens !== undefined && !(Number.isInteger(outputTokens) && outputTokens >= 0)) {
    throw new InvalidArgumentError({
      parameter: `${parameter}.outputTokens`,
      value: outputTokens,
      message: "must be an integer ≥ 0 (a number of words).",
    });
  }
  if (
    behaviour.reply !== undefined &&
    typeof behaviour.reply !== "string" &&
    typeof behaviour.reply !== "function"
  ) {
    throw new InvalidArgumentError({
      parameter: `${parameter}.reply`,
      value: behaviour.reply,
      message: "must be a string or a function of the request returning a string.",
    });
  }
  if (behaviour.callTools !== undefined && typeof behaviour.callTools !== "boolean") {
    throw new InvalidArgumentError({
      parameter: `${parameter}.callTools`,
      value: behaviour.callTools,
      message: "must be true or false.",
    });
  }
  const { faults } = behaviour;
  if (faults !== undefined && typeof faults !== "function") {
    if (!Array.isArray(faults)) {
      throw new InvalidArgumentError({
        parameter: `${parameter}.faults`,
        value: faults,
        message: "must be an array of faults (one per call) or a function of the call index.",
      });
    }
    faults.forEach((fault: unknown, index: number) => {
      if (fault === undefined || fault === null) return;
      const problem = describeFaultProblem(fault);
      if (problem !== undefined) {
        throw new InvalidArgumentError({
          parameter: `${parameter}.faults[${index}]`,
          value: fault,
          message: `${problem}.`,
        });
      }
    });
  }
}
