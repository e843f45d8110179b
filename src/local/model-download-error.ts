import { MoaError } from "../errors/moa-error.js";

const SYMBOL = Symbol.for("langgraph-moa.error.ModelDownloadError");

/**
 * `moa models pull` (or {@link pullModel}) could not fetch a GGUF file: the hub refused it, the
 * connection broke, or the bytes do not match their checksum. Except for a checksum mismatch,
 * the bytes received so far are kept and the next pull resumes from them.
 */
export class ModelDownloadError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** The URL requested (the hub URL, before redirects). */
  readonly url: string;
  /** What went wrong. */
  readonly reason: "not-found" | "unauthorized" | "http" | "network" | "incomplete" | "checksum";
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** Bytes kept in the partial file for the next attempt. */
  readonly keptBytes: number;

  constructor(fields: {
    url: string;
    reason: ModelDownloadError["reason"];
    message: string;
    status?: number;
    keptBytes?: number;
    cause?: unknown;
  }) {
    super("ModelDownloadError", fields.message, { cause: fields.cause });
    this.url = fields.url;
    this.reason = fields.reason;
    this.status = fields.status;
    this.keptBytes = fields.keptBytes ?? 0;
  }

  static override isInstance(error: unknown): error is ModelDownloadError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
