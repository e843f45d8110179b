import { MoaError } from "./moa-error.js";

const SYMBOL = Symbol.for("langgraph-moa.error.InvalidArgumentError");

/**
 * A factory or function argument is invalid. Thrown before any model is called.
 */
export class InvalidArgumentError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** The parameter at fault, as the caller spells it (e.g. `proposers[2].samples`). */
  readonly parameter: string;
  /** The offending value (never a model instance's secrets: models are summarised by name). */
  readonly value: unknown;
  /** What is wrong and how to fix it, without the parameter prefix (for callers that rename it). */
  readonly reason: string;

  constructor({
    parameter,
    value,
    message,
  }: {
    parameter: string;
    value: unknown;
    message: string;
  }) {
    super("InvalidArgumentError", `Invalid argument \`${parameter}\`: ${message}`);
    this.parameter = parameter;
    this.value = value;
    this.reason = message;
  }

  static override isInstance(error: unknown): error is InvalidArgumentError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
