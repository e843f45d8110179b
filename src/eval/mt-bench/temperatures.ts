/**
 * FastChat's per-category sampling temperatures for MT-Bench answers (`temperature_config` in
 * `llm_judge/common.py`).
 */
export const MT_BENCH_TEMPERATURES: Readonly<Record<string, number>> = Object.freeze({
  writing: 0.7,
  roleplay: 0.7,
  extraction: 0.0,
  math: 0.0,
  coding: 0.0,
  reasoning: 0.0,
  stem: 0.1,
  humanities: 0.1,
});

/**
 * The answer temperature for a category; 0.7 for categories FastChat does not list, as
 * `gen_api_answer.py` does.
 *
 * @example
 * ```ts
 * mtBenchTemperature("math"); // 0
 * ```
 */
export function mtBenchTemperature(category: string): number {
  return Object.prototype.hasOwnProperty.call(MT_BENCH_TEMPERATURES, category)
    ? (MT_BENCH_TEMPERATURES[category] as number)
    : 0.7;
}
