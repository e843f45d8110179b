/** Exit codes of the `moa` command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** An error the CLI reports as one message and an exit code, without a stack trace. */
export class CliError extends Error {
  /** The CLI flag at fault, e.g. `--budget-usd`, when there is one. */
  readonly flag?: string;
  /** The kind of failure reported in `--json` output (the library error's name, when converted). */
  readonly type: string;

  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    options: { flag?: string; type?: string } = {},
  ) {
    super(message);
    this.name = "CliError";
    this.flag = options.flag;
    this.type = options.type ?? (exitCode === EXIT.usage ? "UsageError" : "CliError");
  }
}
