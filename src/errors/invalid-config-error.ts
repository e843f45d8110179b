import { MoaError } from "./moa-error.js";

const SYMBOL = Symbol.for("langgraph-moa.error.InvalidConfigError");

/** One problem found while validating a serializable configuration. */
export interface ConfigIssue {
  /** Dotted path of the option, e.g. `layers` or `proposers.1`. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/**
 * A serializable configuration (CLI flags, a deployed graph's `context`, an eval run file)
 * failed validation. `issues` lists every problem, not just the first.
 */
export class InvalidConfigError extends MoaError {
  protected readonly [SYMBOL] = true;
  readonly issues: ConfigIssue[];
  /** Where the configuration came from, e.g. `context` or `moa run flags`. */
  readonly source: string;

  constructor({ source, issues }: { source: string; issues: ConfigIssue[] }) {
    const lines = issues.map((issue) => `  - \`${issue.path || "(root)"}\`: ${issue.message}`);
    super("InvalidConfigError", `Invalid ${source}:\n${lines.join("\n")}`);
    this.issues = issues;
    this.source = source;
  }

  static override isInstance(error: unknown): error is InvalidConfigError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
