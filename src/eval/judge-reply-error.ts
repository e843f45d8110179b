import { MoaError } from "../errors/index.js";

const SYMBOL = Symbol.for("langgraph-moa.error.JudgeReplyError");

/**
 * A judge model answered, but not in a form the benchmark's parser can use (for example an
 * AlpacaEval judge without `logprobs`). Recorded per instance by the stage runner; the message
 * says how to configure the judge.
 */
export class JudgeReplyError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** The benchmark whose judge replied. */
  readonly benchmark: "alpaca-eval" | "mt-bench" | "flask";

  constructor(fields: { benchmark: JudgeReplyError["benchmark"]; message: string }) {
    super("JudgeReplyError", fields.message);
    this.benchmark = fields.benchmark;
  }

  /** True when `error` is a {@link JudgeReplyError}, even across two copies of the package. */
  static override isInstance(error: unknown): error is JudgeReplyError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
