import { InvalidArgumentError } from "../errors/invalid-argument-error.js";

/**
 * The longest delay a Node.js timer honours: 2³¹ − 1 ms (about 24.8 days). A longer delay is
 * clamped to 1 ms with only a warning, so a timeout of 2³¹ ms would fire at once; every timeout
 * option is checked against this.
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * Checks a timeout-like option: a finite number of milliseconds, > 0 (or ≥ 0 with
 * `allowZero`), and at most {@link MAX_TIMER_DELAY_MS}. Throws {@link InvalidArgumentError}
 * naming `parameter`; `what` says what the milliseconds are for.
 */
export function checkTimerDelay(
  value: unknown,
  parameter: string,
  what: string,
  { allowZero = false }: { allowZero?: boolean } = {},
): void {
  const valid =
    typeof value === "number" && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!valid) {
    throw new InvalidArgumentError({
      parameter,
      value,
      message: `must be a number ${allowZero ? "≥" : ">"} 0 (${what}).`,
    });
  }
  if (value > MAX_TIMER_DELAY_MS) {
    throw new InvalidArgumentError({
      parameter,
      value,
      message: `must be ≤ ${MAX_TIMER_DELAY_MS} ms (about 24.8 days, the longest delay a Node.js timer honours; a longer one fires after 1 ms).`,
    });
  }
}
