import Table from "cli-table3";
import type { AlpacaEvalReport } from "../alpaca-eval/report.js";
import { FLASK_SKILLS, type FlaskReport } from "../flask/report.js";
import type { MtBenchReport } from "../mt-bench/report.js";

// Published figures for side-by-side reading, copied from the MoA paper (Wang et al. 2024,
// arXiv 2406.04692, Tables 2a/2b) and the AlpacaEval 2.0 leaderboard rows of its runs.
// Vendored as constants: the CLI never reads the verification data at run time.

/** AlpacaEval 2.0 leaderboard rows of the paper's runs: LC win rate / win rate. */
export const ALPACA_EVAL_PUBLISHED = [
  { name: "Together-MoA (leaderboard)", lengthControlled: 65.38, winRate: 59.87 },
  { name: "Together-MoA-Lite (leaderboard)", lengthControlled: 59.14, winRate: 56.59 },
  { name: "GPT-4 Preview (11/06) = baseline", lengthControlled: 50.0, winRate: 50.0 },
] as const;

/** MT-Bench, GPT-4 judge, single-answer grading: average / turn 1 / turn 2 (paper Table 2b). */
export const MT_BENCH_PUBLISHED = [
  { name: "MoA w/ GPT-4o", score: 9.4, turn1: 9.49, turn2: 9.31 },
  { name: "MoA", score: 9.25, turn1: 9.44, turn2: 9.07 },
  { name: "MoA-Lite", score: 9.18, turn1: 9.38, turn2: 8.99 },
] as const;

interface FormatOptions {
  color?: boolean;
  /** A title line, e.g. the compared models. */
  title?: string;
}

/** The AlpacaEval report as a table, with the paper's leaderboard figures beside it. */
export function formatAlpacaEvalReport(
  report: AlpacaEvalReport,
  options: FormatOptions = {},
): string {
  const table = twoColumnTable(options);
  table.push(
    [
      "length-controlled win rate",
      `${fixed(report.length_controlled_winrate)} ± ${fixed(report.lc_standard_error)}`,
    ],
    ["win rate", `${fixed(report.win_rate)} ± ${fixed(report.standard_error)}`],
    ["discrete win rate", fixed(report.discrete_win_rate)],
    [
      "wins / baseline wins / draws",
      `${report.n_wins} / ${report.n_wins_base} / ${report.n_draws}`,
    ],
    ["annotations", String(report.n_total)],
    ["average length (chars)", String(report.avg_length)],
  );
  const published = ALPACA_EVAL_PUBLISHED.map(
    (row) => `${row.name} ${fixed(row.lengthControlled)} LC / ${fixed(row.winRate)} WR`,
  ).join(" · ");
  return [
    ...(options.title ? [options.title] : []),
    table.toString(),
    `Published (AlpacaEval 2.0, weighted GPT-4 Turbo judge, 805 instructions): ${published}.`,
    ...(report.n_total < 805
      ? [
          `Note: ${report.n_total} of 805 instructions annotated; figures on a subset are not comparable to the leaderboard.`,
        ]
      : []),
  ].join("\n");
}

/** The MT-Bench report as a table (overall, per turn, per category) with the paper's figures. */
export function formatMtBenchReport(report: MtBenchReport, options: FormatOptions = {}): string {
  const table = twoColumnTable(options);
  table.push(
    ["score (both turns)", fixed(report.score)],
    ["turn 1", fixed(report.turn1)],
    ["turn 2", fixed(report.turn2)],
  );
  for (const [category, score] of Object.entries(report.by_category).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    table.push([`  ${category}`, fixed(score)]);
  }
  table.push(["judgments (dropped)", `${report.n_judgments} (${report.n_dropped})`]);
  const published = MT_BENCH_PUBLISHED.map(
    (row) => `${row.name} ${fixed(row.score)} / ${fixed(row.turn1)} / ${fixed(row.turn2)}`,
  ).join(" · ");
  const turns = 2 * report.n_questions_total;
  return [
    options.title ?? `MT-Bench — ${report.model}`,
    table.toString(),
    `Published (paper Table 2b, GPT-4 judge; average / turn 1 / turn 2): ${published}.`,
    ...(report.n_questions < report.n_questions_total || report.n_judgments < turns
      ? [
          `Note: ${report.n_questions} of ${report.n_questions_total} questions judged (${report.n_judgments} of ${turns} turns rated); figures on a subset are not comparable to the paper.`,
        ]
      : []),
  ].join("\n");
}

/** The FLASK report as a per-skill table (the paper shows FLASK as a radar chart only). */
export function formatFlaskReport(report: FlaskReport, options: FormatOptions = {}): string {
  const table = new Table({
    head: ["skill", "average", "scored"],
    style: tableStyle(options),
    colAligns: ["left", "right", "right"],
  });
  for (const skill of FLASK_SKILLS) {
    const score = report.skills[skill];
    if (score) table.push([skill, fixed(score.average), String(score.count)]);
  }
  return [
    options.title ?? "FLASK — skill scores (1–5)",
    table.toString(),
    `reviews: ${report.n_reviews} · N/A scores: ${report.not_applicable} · reviews without exactly 3 scores: ${report.n_irregular}`,
    "Published: the paper gives FLASK as a radar chart only (no numbers).",
  ].join("\n");
}

function twoColumnTable(options: FormatOptions) {
  return new Table({ style: tableStyle(options), colAligns: ["left", "right"] });
}

function tableStyle(options: FormatOptions) {
  return {
    head: options.color ? ["cyan"] : [],
    border: options.color ? ["grey"] : [],
    compact: true,
  };
}

function fixed(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : "n/a";
}
