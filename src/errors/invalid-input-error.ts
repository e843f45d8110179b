import { MoaError } from "./moa-error.js";

const SYMBOL = Symbol.for("langgraph-moa.error.InvalidInputError");

/**
 * A run's input (its conversation) is invalid: a message whose content is neither text nor a
 * list of content parts, or no user message at all. Thrown when the turn starts, before any
 * model call.
 */
export class InvalidInputError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** Where in the input the problem is, e.g. `messages[0].content` or `messages`. */
  readonly path: string;

  constructor({ path, message }: { path: string; message: string }) {
    super("InvalidInputError", `Invalid input \`${path}\`: ${message}`);
    this.path = path;
  }

  static override isInstance(error: unknown): error is InvalidInputError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
