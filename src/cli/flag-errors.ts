import {
  InvalidArgumentError,
  InvalidConfigError,
  MoaError,
  ModelSpecError,
} from "../errors/index.js";
import { EvalDataError } from "../eval/eval-data-error.js";
import { CliError, EXIT } from "./cli-error.js";

/**
 * Which CLI flag gives each library parameter of the model options (`moa run`, `moa plan`,
 * `moa eval generate`). Library errors name parameters (`minProposals`, `budget.maxCostUsd`); a
 * terminal user typed flags, so the CLI reports those.
 */
export const MODEL_PARAMETER_FLAGS: Readonly<Record<string, string>> = {
  preset: "--preset",
  proposers: "--proposers",
  aggregator: "--aggregator",
  layers: "--layers",
  aggregation: "--aggregation",
  samples: "--samples",
  temperature: "--temperature",
  maxTokens: "--max-tokens",
  minProposals: "--min-proposals",
  callTimeoutMs: "--timeout-ms",
  retries: "--retries",
  stragglerGraceMs: "--straggler-grace-ms",
  maxCostUsd: "--budget-usd",
  maxRunTokens: "--budget-tokens",
  "budget.maxCostUsd": "--budget-usd",
  "budget.maxTokens": "--budget-tokens",
  referenceFormat: "--reference-format",
  budgetCheck: "--budget-check",
  expectedOutputTokens: "--expected-output-tokens",
  "budget.check": "--budget-check",
  "budget.expectedOutputTokens": "--expected-output-tokens",
};

/** A failure as the CLI reports it: on stderr, in `--json` output and as the exit code. */
export interface CliFailure {
  /** The error's kind: a library error's name (`BudgetExceededError`), or `UsageError`. */
  type: string;
  /** One message naming CLI flags, not library parameters. */
  message: string;
  /** The offending flag, when there is one. */
  flag?: string;
  exitCode: number;
}

/**
 * Describes any error the way the CLI reports it. Library errors keep their message, with every
 * backticked parameter that a flag gives renamed to that flag; argument and configuration
 * errors are usage errors (exit 2), other library errors failed runs (exit 1).
 */
export function describeCliFailure(
  error: unknown,
  parameterFlags: Readonly<Record<string, string>> = MODEL_PARAMETER_FLAGS,
): CliFailure {
  if (error instanceof CliError) {
    return { type: error.type, message: error.message, flag: error.flag, exitCode: error.exitCode };
  }
  const converted = toFlagError(error, parameterFlags);
  if (converted !== error) return describeCliFailure(converted, parameterFlags);
  if (MoaError.isInstance(error)) {
    const message = nameFlags(error.message, parameterFlags);
    return {
      type: error.name,
      message,
      flag: firstFlag(message),
      exitCode: ModelSpecError.isInstance(error) ? EXIT.usage : EXIT.failure,
    };
  }
  return {
    type: error instanceof Error ? error.name : "Error",
    message: error instanceof Error ? error.message : String(error),
    exitCode: EXIT.failure,
  };
}

/**
 * Runs `body` (sync or async) and turns the argument, configuration and data-file errors that
 * escape it into usage errors naming the flag that gave the value: `parameterFlags` maps
 * parameters to flags, `files` maps flags to the paths they gave (for data-file errors).
 */
export function withFlagNames<T>(
  parameterFlags: Readonly<Record<string, string>>,
  body: () => T,
  files: Readonly<Record<string, string | undefined>> = {},
): T {
  try {
    const value = body();
    if (value instanceof Promise) {
      return value.catch((error: unknown) => {
        throw toFlagError(error, parameterFlags, files);
      }) as T;
    }
    return value;
  } catch (error) {
    throw toFlagError(error, parameterFlags, files);
  }
}

function toFlagError(
  error: unknown,
  parameterFlags: Readonly<Record<string, string>>,
  files: Readonly<Record<string, string | undefined>> = {},
): unknown {
  if (EvalDataError.isInstance(error)) {
    const flag = Object.entries(files).find(([, path]) => path === error.file)?.[0];
    return new CliError(flag ? `${flag} ${error.message}` : error.message, EXIT.usage, {
      flag,
      type: error.name,
    });
  }
  if (InvalidArgumentError.isInstance(error)) {
    const flag = parameterFlags[error.parameter];
    return new CliError(
      flag ? `${flag} ${nameFlags(error.reason, parameterFlags)}` : error.message,
      EXIT.usage,
      { flag, type: error.name },
    );
  }
  if (InvalidConfigError.isInstance(error)) {
    const flags = error.issues.map((issue) => flagOfPath(issue.path, parameterFlags));
    const lines = error.issues.map(
      (issue, index) => `  - ${flags[index]}: ${nameFlags(issue.message, parameterFlags)}`,
    );
    return new CliError(`invalid options:\n${lines.join("\n")}`, EXIT.usage, {
      flag: flags[0]?.split(" ")[0],
      type: error.name,
    });
  }
  return error;
}

/** Renames every backticked parameter that a flag gives: `` `minProposals` `` → `` `--min-proposals` ``. */
export function nameFlags(
  message: string,
  parameterFlags: Readonly<Record<string, string>>,
): string {
  return message.replace(/`([\w.]+)`/g, (whole, name: string) =>
    parameterFlags[name] ? `\`${parameterFlags[name]}\`` : whole,
  );
}

function firstFlag(message: string): string | undefined {
  return /`(--[\w-]+)`/.exec(message)?.[1];
}

function flagOfPath(path: string, parameterFlags: Readonly<Record<string, string>>): string {
  const [head, ...rest] = path.split(".");
  const name = parameterFlags[path] ?? parameterFlags[head!] ?? `--${head}`;
  return rest.length && !parameterFlags[path] ? `${name} (item ${rest.join(".")})` : name;
}
