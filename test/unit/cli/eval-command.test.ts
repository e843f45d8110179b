import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vendoredDataPath } from "../../../src/eval/data-directory.js";
import { evalArgv, runCapturedCli } from "../../support/cli-io.js";

let dir: string;
const file = (name: string) => join(dir, name);
const writeJsonl = (path: string, rows: unknown[]) =>
  writeFile(path, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
/** Runs `moa eval report --benchmark <benchmark> ...flags`. */
const evalReport = (benchmark: string, ...flags: string[]) =>
  runCapturedCli(evalArgv("report", benchmark, ...flags));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "moa-eval-unit-"));
  await writeFile(file("answers.json"), "[]\n");
  await writeFile(file("broken.json"), "{ not json");
  const annotation = (generator_2: string) => ({
    instruction: "Say hi.",
    output_1: "Hi.",
    generator_1: "gpt4_1106_preview",
    output_2: "Hello!",
    generator_2,
    preference: 2,
  });
  await writeFile(file("two-models.json"), JSON.stringify([annotation("a"), annotation("b")]));
  await writeFile(file("empty.json"), "[]\n");
  const judgment = (model: string) =>
    JSON.stringify({
      question_id: 81,
      model,
      judge: ["gpt-4", "single-v1"],
      user_prompt: "",
      judgment: "",
      score: 5,
      turn: 1,
      tstamp: 0,
    });
  await writeFile(file("two-models.jsonl"), `${judgment("a")}\n${judgment("b")}\n`);
  await mkdir(file("flask-without-side-files"));
  await writeFile(file("flask-without-side-files/flask_evaluation.jsonl"), "");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("moa eval usage errors", () => {
  const out = () => file("out.json");
  it.each<[string, () => string[], RegExp]>([
    ["no subcommand", () => ["eval", "bogus"], /unknown command 'bogus'/],
    [
      "missing --benchmark",
      () => ["eval", "generate", "--out", out()],
      /required option '--benchmark <name>' not specified/,
    ],
    [
      "unknown benchmark",
      () => evalArgv("generate", "mmlu", "--out", out()),
      /Allowed choices are alpaca-eval, mt-bench, flask/,
    ],
    [
      "generate without --out",
      () => evalArgv("generate", "alpaca-eval"),
      /required option '--out <file>' not specified/,
    ],
    [
      "FLASK generate without --data",
      () => evalArgv("generate", "flask", "--out", out()),
      /--data is required for FLASK/,
    ],
    [
      "unreadable --data",
      () => evalArgv("generate", "mt-bench", "--data", file("missing.jsonl"), "--out", out()),
      /--data .*missing\.jsonl: cannot read this file/,
    ],
    [
      "--max-instances not a number",
      () => evalArgv("generate", "alpaca-eval", "--out", out(), "--max-instances", "three"),
      /--max-instances must be a whole number ≥ 0/,
    ],
    [
      "--concurrency 0",
      () => evalArgv("generate", "alpaca-eval", "--out", out(), "--concurrency", "0"),
      /--concurrency must be a whole number ≥ 1/,
    ],
    [
      "invalid model option",
      () => evalArgv("generate", "alpaca-eval", "--out", out(), "--layers", "0"),
      /--layers: must be ≥ 1/,
    ],
    [
      "generate without credentials",
      () => evalArgv("generate", "alpaca-eval", "--out", out()),
      /TOGETHER_API_KEY/,
    ],
    [
      "judge without --answers",
      () => evalArgv("judge", "alpaca-eval", "--out", out()),
      /required option '--answers <file>' not specified/,
    ],
    [
      "judge without --out",
      () => evalArgv("judge", "alpaca-eval", "--answers", file("answers.json")),
      /required option '--out <file>' not specified/,
    ],
    [
      "unreadable --answers",
      () => evalArgv("judge", "mt-bench", "--answers", file("nope.jsonl"), "--out", out()),
      /--answers .*nope\.jsonl: cannot read this file/,
    ],
    [
      "FLASK judge without --data",
      () => evalArgv("judge", "flask", "--answers", file("answers.json"), "--out", out()),
      /--data is required for FLASK/,
    ],
    [
      "FLASK judge without the side files",
      () =>
        evalArgv(
          "judge",
          "flask",
          "--answers",
          file("answers.json"),
          "--data",
          file("flask-without-side-files/flask_evaluation.jsonl"),
          "--out",
          out(),
        ),
      /--skills .*skillset_description\.json: cannot read this file/,
    ],
    [
      "malformed --judge",
      () =>
        evalArgv(
          "judge",
          "alpaca-eval",
          "--answers",
          file("answers.json"),
          "--out",
          out(),
          "--judge",
          "gpt-4",
        ),
      /gpt-4/,
    ],
    [
      "judge without credentials",
      () => evalArgv("judge", "alpaca-eval", "--answers", file("answers.json"), "--out", out()),
      /OPENAI_API_KEY/,
    ],
    [
      "malformed answers file",
      () =>
        evalArgv(
          "judge",
          "alpaca-eval",
          "--answers",
          file("broken.json"),
          "--out",
          out(),
          "--simulate",
        ),
      /--answers .*broken\.json: is not valid JSON/,
    ],
    [
      "report without a file",
      () => evalArgv("report", "alpaca-eval"),
      /exactly one of --judgments FILE .* or --annotations FILE/,
    ],
    [
      "report with both files",
      () => evalArgv("report", "alpaca-eval", "--judgments", file("a"), "--annotations", file("b")),
      /exactly one of --judgments/,
    ],
    [
      "--annotations for MT-Bench",
      () => evalArgv("report", "mt-bench", "--annotations", file("a")),
      /--annotations is for AlpacaEval/,
    ],
    [
      "MT-Bench report without --judgments",
      () => evalArgv("report", "mt-bench"),
      /--judgments FILE is required/,
    ],
    [
      "unreadable --judgments",
      () => evalArgv("report", "flask", "--judgments", file("gone.jsonl")),
      /--judgments .*gone\.jsonl: cannot read this file/,
    ],
    [
      "--out is a directory",
      () =>
        evalArgv(
          "judge",
          "mt-bench",
          "--answers",
          file("answers.json"),
          "--out",
          file("flask-without-side-files"),
        ),
      /--out .*flask-without-side-files is a directory/,
    ],
    [
      "annotations of two models",
      () => evalArgv("report", "alpaca-eval", "--annotations", file("two-models.json")),
      /--annotations all annotations must compare the same two generators/,
    ],
    [
      "no annotations",
      () => evalArgv("report", "alpaca-eval", "--judgments", file("empty.json")),
      /--judgments no annotations to score/,
    ],
    [
      "MT-Bench judgments of two models",
      () => evalArgv("report", "mt-bench", "--judgments", file("two-models.jsonl")),
      /--model the judgments cover several models/,
    ],
    [
      "malformed --annotations",
      () => evalArgv("report", "alpaca-eval", "--annotations", file("broken.json")),
      /--annotations .*broken\.json: is not valid JSON/,
    ],
  ])("%s exits 2 with a message naming the problem", async (_name, argv, message) => {
    const cli = await runCapturedCli(argv());
    expect(cli.code).toBe(2);
    expect(cli.err).toMatch(message);
    expect(cli.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(cli.out).toBe("");
  });

  it("lists the subcommands and the official judges in help", async () => {
    const cli = await runCapturedCli(["eval", "judge", "--help"]);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain("openai:gpt-4-1106-preview");
    expect(cli.out).toContain("--no-cache");
    const generate = await runCapturedCli(["eval", "generate", "--help"]);
    expect(generate.code).toBe(0);
    expect(generate.out).toMatch(/--proposers <models>/);
    expect(generate.out).toMatch(/--max-instances <n>/);
    expect(generate.out).toMatch(/--server <url>/);
  });
});

describe("moa eval report on small files", () => {
  it("reports AlpacaEval annotations with the official field names", async () => {
    const evalSet = JSON.parse(
      await readFile(vendoredDataPath("alpaca_eval", "eval_set.gpt4_1106_preview.json"), "utf8"),
    );
    const preferences = [2, 1, 1.5, 1.75, 1.2, 1.9];
    const annotations = preferences.map((preference, index) => ({
      instruction: evalSet[index].instruction,
      output_1: evalSet[index].output,
      generator_1: "gpt4_1106_preview",
      output_2: `answer ${index} `.repeat(index + 3),
      generator_2: "my-moa",
      preference,
    }));
    await writeFile(file("annotations.json"), JSON.stringify(annotations));
    const json = await evalReport(
      "alpaca-eval",
      "--annotations",
      file("annotations.json"),
      "--json",
    );
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out);
    expect(Object.keys(report).sort()).toEqual([
      "avg_length",
      "discrete_win_rate",
      "lc_standard_error",
      "length_controlled_winrate",
      "n_draws",
      "n_total",
      "n_wins",
      "n_wins_base",
      "standard_error",
      "win_rate",
    ]);
    expect(report.win_rate).toBeCloseTo((100 * (1 + 0 + 0.5 + 0.75 + 0.2 + 0.9)) / 6, 10);
    expect(report).toMatchObject({ n_wins: 3, n_wins_base: 2, n_draws: 1, n_total: 6 });
    expect(json.err).toBe("");

    const text = await evalReport("alpaca-eval", "--judgments", file("annotations.json"));
    expect(text.code).toBe(0);
    expect(text.out).toContain("AlpacaEval 2.0 — my-moa vs gpt4_1106_preview");
    expect(text.out).toMatch(/win rate\s+│\s+55\.83 ±/);
    expect(text.out).toContain("Together-MoA (leaderboard) 65.38 LC / 59.87 WR");
    expect(text.out).toContain("6 of 805 instructions annotated");
  });

  it("reports MT-Bench judgments per turn and category, dropping unparsed ratings", async () => {
    const judgment = (question_id: number, turn: number, score: number) => ({
      question_id,
      model: "my-moa",
      judge: ["gpt-4", turn === 1 ? "single-v1" : "single-v1-multi-turn"],
      user_prompt: "…",
      judgment: score === -1 ? "no rating" : `Rating: [[${score}]]`,
      score,
      turn,
      tstamp: 0,
    });
    const rows = [
      judgment(81, 1, 9),
      judgment(81, 2, 7),
      judgment(111, 1, 10),
      judgment(111, 2, -1),
      judgment(141, 1, 6),
      judgment(141, 2, 8),
    ];
    await writeJsonl(file("judgments.jsonl"), rows);
    const json = await evalReport("mt-bench", "--judgments", file("judgments.jsonl"), "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual({
      model: "my-moa",
      score: 8,
      turn1: 25 / 3,
      turn2: 7.5,
      by_category: { writing: 8, math: 10, stem: 7 },
      n_judgments: 5,
      n_dropped: 1,
      n_questions: 3,
      n_questions_total: 80,
    });
    const text = await evalReport("mt-bench", "--judgments", file("judgments.jsonl"));
    expect(text.code).toBe(0);
    expect(text.out).toContain("MT-Bench — my-moa");
    expect(text.out).toMatch(/turn 1\s+│\s+8\.33/);
    expect(text.out).toContain("MoA-Lite 9.18 / 9.38 / 8.99");
    expect(text.out).toContain(
      "Note: 3 of 80 questions judged (5 of 160 turns rated); figures on a subset are not comparable to the paper.",
    );
  });

  it("reports FLASK reviews as per-skill averages", async () => {
    const reviews = [
      { idx: 1, score: { readability: 5, "logical correctness": 3, conciseness: 4 } },
      { idx: 2, score: { readability: 3, "commonsense understanding": 4, comprehension: "N/A" } },
    ];
    await writeJsonl(file("reviews.jsonl"), reviews);
    const json = await evalReport("flask", "--judgments", file("reviews.jsonl"), "--json");
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out);
    expect(report.skills).toEqual({
      correctness: { average: 3, count: 1, total: 3 },
      commonsense: { average: 4, count: 1, total: 4 },
      comprehension: { average: null, count: 0, total: 0 },
      readability: { average: 4, count: 2, total: 8 },
      conciseness: { average: 4, count: 1, total: 4 },
    });
    expect(report).toMatchObject({ not_applicable: 1, n_reviews: 2, n_irregular: 0 });
    const text = await evalReport("flask", "--judgments", file("reviews.jsonl"));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/readability\s+│\s+4\.00\s+│\s+2/);
    expect(text.out).toContain("radar chart only");
  });
});
