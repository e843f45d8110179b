import { MoaError } from "./moa-error.js";
import { redactSecrets } from "./redact-secrets.js";

const SYMBOL = Symbol.for("langgraph-moa.error.InsufficientProposalsError");

/** A proposer that failed, as reported by {@link InsufficientProposalsError}. */
export interface FailedProposer {
  proposerId: string;
  sample: number;
  error: string;
}

/**
 * Fewer proposers than `minProposals` succeeded in a layer, so the run cannot go on.
 */
export class InsufficientProposalsError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** 1-based proposer layer that fell short. */
  readonly layer: number;
  /** How many proposals of that layer succeeded. */
  readonly succeeded: number;
  /** The quorum (`minProposals`). */
  readonly required: number;
  /** Every failed proposal of the layer with its error message. */
  readonly failures: FailedProposer[];

  constructor(fields: {
    layer: number;
    succeeded: number;
    required: number;
    failures: FailedProposer[];
  }) {
    // Proposal errors are already redacted; the typed field is checked again for callers that
    // build this error themselves.
    const failures = fields.failures.map((failure) => ({
      ...failure,
      error: redactSecrets(failure.error),
    }));
    const failed = failures
      .map((failure) => `  - ${failure.proposerId}#${failure.sample}: ${failure.error}`)
      .join("\n");
    super(
      "InsufficientProposalsError",
      `Layer ${fields.layer} produced ${fields.succeeded} successful proposal(s) but \`minProposals\` is ${fields.required}.` +
        (failed ? `\nFailed proposers:\n${failed}` : "") +
        `\nFix the failing providers, add proposers, or lower \`minProposals\`.`,
    );
    this.layer = fields.layer;
    this.succeeded = fields.succeeded;
    this.required = fields.required;
    this.failures = failures;
  }

  static override isInstance(error: unknown): error is InsufficientProposalsError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
