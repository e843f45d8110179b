/**
 * Evaluation harness (AlpacaEval 2.0, MT-Bench, FLASK): generate → judge → report.
 *
 * @module
 */
export {};
