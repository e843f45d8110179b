import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCapturedCli } from "../../support/cli-io.js";

const moa = runCapturedCli;

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "moa-ablate-unit-"));
  await writeFile(
    file("bad-parameters.json"),
    JSON.stringify([{ model: "x", activeParametersB: 5, totalParametersB: 1, source: "s" }]),
  );
  await writeFile(file("not-json.json"), "{");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("moa ablate usage errors", () => {
  const base = () => ["ablate", "--benchmark", "alpaca-eval", "--out", file("study")];
  it.each<[string, () => string[], RegExp]>([
    ["a missing --study", () => base(), /required option '--study <name>' not specified/],
    [
      "an unknown study",
      () => [...base(), "--study", "width"],
      /Allowed choices are ranker, proposers, roles, layers/,
    ],
    [
      "a missing --out",
      () => ["ablate", "--study", "layers", "--benchmark", "alpaca-eval"],
      /required option '--out <dir>'/,
    ],
    [
      "a non-numeric --layers",
      () => [...base(), "--study", "layers", "--layers", "three"],
      /--layers must be a whole number ≥ 1, got "three"/,
    ],
    [
      "a ranker study with one layer",
      () => [...base(), "--study", "ranker", "--layers", "1"],
      /--layers must be a whole number from 2 to 10 for the ranker study/,
    ],
    [
      "a repeated model",
      () => [...base(), "--study", "roles", "--models", "openai:a,openai:a"],
      /--models lists openai:a twice/,
    ],
    [
      "a malformed model",
      () => [...base(), "--study", "roles", "--models", "nocolon"],
      /Malformed model "nocolon"/,
    ],
    [
      "--max-instances 0",
      () => [...base(), "--study", "layers", "--max-instances", "0"],
      /--max-instances must be a whole number ≥ 1/,
    ],
    [
      "a temperature above 2",
      () => [...base(), "--study", "layers", "--temperature", "3"],
      /--temperature must be a number from 0 to 2/,
    ],
    [
      "FLASK without --data",
      () => ["ablate", "--study", "layers", "--benchmark", "flask", "--out", file("f")],
      /--data is required for FLASK/,
    ],
    [
      "an unreadable --data",
      () => [...base(), "--study", "layers", "--data", file("missing.json")],
      /--data .*missing\.json: cannot read this file/,
    ],
    [
      "an invalid --parameters file",
      () => [...base(), "--study", "layers", "--parameters", file("bad-parameters.json")],
      /--parameters: .*activeParametersB cannot exceed totalParametersB/,
    ],
    [
      "an --out that cannot hold the results",
      () => [
        "ablate",
        "--study",
        "layers",
        "--benchmark",
        "alpaca-eval",
        "--out",
        file("not-json.json"),
      ],
      /--out .*cannot write in/,
    ],
    [
      "a --parameters file that is not JSON",
      () => [...base(), "--study", "layers", "--parameters", file("not-json.json")],
      /--parameters: cannot read .* as JSON/,
    ],
  ])("reports %s as a usage error (exit 2) before any call", async (_name, argv, message) => {
    const result = await moa(argv());
    expect(result.err).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
  });

  it("reports missing API keys before any call, naming the variable", async () => {
    const result = await moa([...base(), "--study", "layers", "--max-instances", "1"]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/OPENAI_API_KEY|TOGETHER_API_KEY/);
  });

  it("defaults --benchmark to alpaca-eval and says so in its help", async () => {
    const run = await moa([
      "ablate",
      "--study",
      "layers",
      "--out",
      file("default"),
      "--max-instances",
      "1",
    ]);
    // Past argument parsing: the AlpacaEval judge (an OpenAI model) needs its key.
    expect(run.err).not.toMatch(/--benchmark/);
    expect(run.err).toMatch(/OPENAI_API_KEY|TOGETHER_API_KEY/);
    const help = await moa(["ablate", "--help"]);
    expect(help.out.replace(/\s+/g, " ")).toMatch(
      /--benchmark <name>.*\(choices: "alpaca-eval", "mt-bench", "flask", default: "alpaca-eval"\)/,
    );
  });

  it("documents every option in its help", async () => {
    const result = await moa(["ablate", "--help"]);
    expect(result.code).toBe(0);
    for (const flag of [
      "--study",
      "--benchmark",
      "--models",
      "--aggregator",
      "--layers",
      "--judge",
      "--max-instances",
      "--concurrency",
      "--out",
      "--simulate",
      "--prices",
      "--parameters",
      "--cache",
    ]) {
      expect(result.out).toContain(flag);
    }
  });
});
