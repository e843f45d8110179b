import { redactSecrets } from "./redact-secrets.js";

const MARKER = "langgraph-moa.error";
const SYMBOL = Symbol.for(MARKER);

/**
 * Base class of every error thrown by langgraph-moa.
 *
 * Every message is redacted (`redactSecrets`): no subclass can carry a registered key or a
 * key-shaped string into a log, a trace or a terminal.
 *
 * Recognise errors with the static `isInstance()` guards rather than `instanceof`: they keep
 * working when two copies of the package are loaded (a common situation with LangGraph
 * deployments that bundle dependencies).
 *
 * @example
 * ```ts
 * try { await graph.invoke(input); }
 * catch (error) { if (MoaError.isInstance(error)) console.error(error.message); }
 * ```
 */
export class MoaError extends Error {
  protected readonly [SYMBOL] = true;

  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(redactSecrets(message), options);
    this.name = name;
  }

  /** True when `error` is any langgraph-moa error. */
  static isInstance(error: unknown): error is MoaError {
    return MoaError.hasMarker(error, SYMBOL);
  }

  /** @internal Shared by the subclasses' guards. */
  protected static hasMarker(error: unknown, marker: symbol): boolean {
    return (
      error != null &&
      typeof error === "object" &&
      (error as Record<symbol, unknown>)[marker] === true
    );
  }
}
