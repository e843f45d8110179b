import { defaultLocalThreads } from "../local/default-local-threads.js";
import { LOCAL_ENVIRONMENT } from "../local/models-directory.js";
import { integerFlag } from "./eval-options.js";

/** `--threads <n>` help, for every command that runs `local:` models. */
export const THREADS_HELP =
  `CPU threads per local: model (default: $${LOCAL_ENVIRONMENT.threads}, else 1 for toy models, ` +
  "else max(1, min(4, cores − 1)): 1 on a 2-core machine)";

/**
 * The engine variable that sets the threads of the `local:` models among `specs`: `--threads`
 * (a whole number ≥ 1, else a usage error naming the flag), else `MOA_LOCAL_THREADS` when set,
 * else 1 for toy models only (their matrices are tiny: more threads only add overhead), else
 * {@link defaultLocalThreads}. Empty when no spec is `local:`.
 */
export function localThreadsEnvironment(
  flag: string | undefined,
  specs: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  toyOnly = false,
): Record<string, string> {
  if (flag !== undefined) {
    return { [LOCAL_ENVIRONMENT.threads]: String(integerFlag(flag, "--threads", 1)) };
  }
  if (!specs.some((spec) => spec.startsWith("local:"))) return {};
  if (env[LOCAL_ENVIRONMENT.threads]?.trim()) return {};
  return { [LOCAL_ENVIRONMENT.threads]: String(toyOnly ? 1 : defaultLocalThreads()) };
}
