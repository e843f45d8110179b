import { MoaError } from "./moa-error.js";

const SYMBOL = Symbol.for("langgraph-moa.error.InvalidConfigError");

/** One problem found while validating a serializable configuration. */
export interface ConfigIssue {
  /** Dotted path of the option, e.g. `layers` or `proposers.1`. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** Issues an {@link InvalidConfigError} keeps; the rest are counted in one last issue. */
export const MAX_CONFIG_ISSUES = 10;
/** Characters of an issue's message (and path) an {@link InvalidConfigError} keeps. */
export const MAX_CONFIG_ISSUE_LENGTH = 240;

/**
 * A serializable configuration (CLI flags, a deployed graph's `context`, an eval run file)
 * failed validation. `issues` lists every problem, not just the first, bounded in size so an
 * error about hostile input stays small: at most {@link MAX_CONFIG_ISSUES} issues (then one
 * counting the rest), each path and message cut to {@link MAX_CONFIG_ISSUE_LENGTH} characters
 * (echoed values included).
 */
export class InvalidConfigError extends MoaError {
  protected readonly [SYMBOL] = true;
  readonly issues: ConfigIssue[];
  /** Where the configuration came from, e.g. `context` or `moa run flags`. */
  readonly source: string;

  constructor({ source, issues: allIssues }: { source: string; issues: ConfigIssue[] }) {
    const issues = boundIssues(allIssues);
    const lines = issues.map((issue) => `  - \`${issue.path || "(root)"}\`: ${issue.message}`);
    super("InvalidConfigError", `Invalid ${truncate(source)}:\n${lines.join("\n")}`);
    this.issues = issues;
    this.source = truncate(source);
  }

  static override isInstance(error: unknown): error is InvalidConfigError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}

function boundIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const kept = issues.slice(0, MAX_CONFIG_ISSUES).map(({ path, message }) => ({
    path: truncate(path),
    message: truncate(message),
  }));
  const more = issues.length - kept.length;
  if (more > 0) kept.push({ path: "", message: `… and ${more} more issue(s).` });
  return kept;
}

function truncate(text: string): string {
  if (text.length <= MAX_CONFIG_ISSUE_LENGTH) return text;
  const cut = text.length - MAX_CONFIG_ISSUE_LENGTH;
  return `${text.slice(0, MAX_CONFIG_ISSUE_LENGTH)}… (${cut} more characters)`;
}
