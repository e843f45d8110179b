import { MoaError } from "../errors/moa-error.js";

const SYMBOL = Symbol.for("langgraph-moa.error.GateMismatchError");

/** A Co-LLM gate was fitted on another base model (its identity or hidden size differs). */
export class GateMismatchError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** What the gate was fitted on. */
  readonly gate: { baseModel: string; hiddenSize: number };
  /** The base it was given. */
  readonly base: { identity: string; hiddenSize: number };

  constructor(params: {
    gate: { baseModel: string; hiddenSize: number };
    base: { identity: string; hiddenSize: number };
  }) {
    super(
      "GateMismatchError",
      `the \`gate\` was fitted on base "${params.gate.baseModel}" (hidden size ${params.gate.hiddenSize}), but the \`base\` is "${params.base.identity}" (hidden size ${params.base.hiddenSize}). A gate reads the base's hidden state, so it only fits the base it was trained on: pass that base, or train a gate for this one.`,
    );
    this.gate = params.gate;
    this.base = params.base;
  }

  static override isInstance(error: unknown): error is GateMismatchError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
