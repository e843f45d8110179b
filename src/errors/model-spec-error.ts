import { MoaError } from "./moa-error.js";

const SYMBOL = Symbol.for("langgraph-moa.error.ModelSpecError");

/**
 * A "provider:model" string cannot be turned into a chat model: malformed, unknown provider,
 * or missing credentials. The message names the variable or flag to set.
 */
export class ModelSpecError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** The spec as given, e.g. `openai:gpt-4o`. */
  readonly spec: string;
  /** What went wrong. */
  readonly reason: "malformed" | "unknown-provider" | "missing-credentials" | "unavailable";
  /** Environment variables that would fix it, when relevant. */
  readonly variables: string[];

  constructor(fields: {
    spec: string;
    reason: ModelSpecError["reason"];
    message: string;
    variables?: string[];
    cause?: unknown;
  }) {
    super("ModelSpecError", fields.message, { cause: fields.cause });
    this.spec = fields.spec;
    this.reason = fields.reason;
    this.variables = fields.variables ?? [];
  }

  static override isInstance(error: unknown): error is ModelSpecError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
