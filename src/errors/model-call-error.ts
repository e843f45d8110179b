import { MoaError } from "./moa-error.js";

const SYMBOL = Symbol.for("langgraph-moa.error.ModelCallError");

/**
 * The final node's model call (aggregator or ranker) failed after its retries and no
 * `aggregatorFallback` took over. The message keeps the provider's explanation but is
 * credential-free: the provider's raw error is not attached, since some gateways echo the
 * API key back in it.
 */
export class ModelCallError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** The failing call's role. */
  readonly role: "aggregator" | "ranker";
  /** Id of the failing model. */
  readonly modelId: string;
  /** HTTP status of the provider's answer, when there was one. */
  readonly status?: number;

  constructor(fields: {
    role: "aggregator" | "ranker";
    modelId: string;
    message: string;
    status?: number;
  }) {
    super("ModelCallError", `${fields.role} ${fields.modelId}: ${fields.message}`);
    this.role = fields.role;
    this.modelId = fields.modelId;
    this.status = fields.status;
  }

  static override isInstance(error: unknown): error is ModelCallError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
