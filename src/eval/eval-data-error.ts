import { MoaError } from "../errors/index.js";

const SYMBOL = Symbol.for("langgraph-moa.error.EvalDataError");

/**
 * An evaluation file (benchmark data, model outputs, answers, judgments) cannot be used: it is
 * missing, malformed, or does not match what the stage expects. The message names the file and,
 * when known, the line or entry.
 */
export class EvalDataError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** The file at fault (as given by the caller). */
  readonly file: string;
  /** 1-based line (JSONL, CSV) or 0-based entry (JSON list) when the problem is local. */
  readonly location?: string;

  constructor(fields: { file: string; location?: string; message: string; cause?: unknown }) {
    super(
      "EvalDataError",
      `${fields.file}${fields.location ? ` (${fields.location})` : ""}: ${fields.message}`,
      { cause: fields.cause },
    );
    this.file = fields.file;
    this.location = fields.location;
  }

  /** True when `error` is an {@link EvalDataError}, even across two copies of the package. */
  static override isInstance(error: unknown): error is EvalDataError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
