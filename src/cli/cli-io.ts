import type { ProviderEnvironment } from "../models/load-provider-chat-model.js";

/** The outside world of the CLI, injectable so commands are testable in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: ProviderEnvironment;
  /** Reads all of stdin (`moa run -`); unset when there is no stdin to read. */
  readStdin?: () => Promise<string>;
  /** Colour tables (a TTY without NO_COLOR). */
  color: boolean;
  /** Set by commands; `main` exits with it. */
  exitCode: number;
  /** Whether stderr is an interactive terminal (progress bars); captured streams leave it unset. */
  stderrIsTTY?: boolean;
}
