import { MoaError } from "./moa-error.js";

const SYMBOL = Symbol.for("langgraph-moa.error.ModelCallError");

/**
 * The final node's model call (aggregator or ranker) failed after its retries and no
 * `aggregatorFallback` took over, or the fallback model failed too. The message keeps the
 * provider's explanation but is credential-free: the provider's raw error is not attached, since
 * some gateways echo the API key back in it.
 *
 * When the `aggregatorFallback` model failed after the aggregator, the error describes the
 * fallback's call (`modelId`, `status`), its message names both failures, and `cause` (also
 * `aggregatorError`) is the aggregator's own {@link ModelCallError}.
 */
export class ModelCallError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** The failing call's role. */
  readonly role: "aggregator" | "ranker";
  /** Id of the failing model. */
  readonly modelId: string;
  /** HTTP status of the provider's answer, when there was one. */
  readonly status?: number;
  /** The provider's explanation alone (the message without the role and model prefix). */
  readonly detail: string;
  /** When this is the `aggregatorFallback`'s failure: the aggregator's failure before it. */
  readonly aggregatorError?: ModelCallError;

  constructor(fields: {
    role: "aggregator" | "ranker";
    modelId: string;
    message: string;
    status?: number;
    /** The aggregator's failure, when this error is its `aggregatorFallback`'s. */
    aggregatorError?: ModelCallError;
  }) {
    const first = fields.aggregatorError;
    super(
      "ModelCallError",
      first === undefined
        ? `${fields.role} ${fields.modelId}: ${fields.message}`
        : `${first.role} ${first.modelId} failed: ${first.detail}; ` +
            `then its \`aggregatorFallback\` ${fields.modelId} failed too: ${fields.message}`,
      first === undefined ? undefined : { cause: first },
    );
    this.role = fields.role;
    this.modelId = fields.modelId;
    this.status = fields.status;
    this.detail = fields.message;
    this.aggregatorError = first;
  }

  static override isInstance(error: unknown): error is ModelCallError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
