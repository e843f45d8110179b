// Canary sweep: the providers' and judges' keys are canaries of the two shapes keys come in (an
// OpenAI-style `sk-…` and a Together-style 64-hex string no shape rule recognises), the
// simulator echoes them back in its errors (whole, and cut short), and every artefact the CLI
// leaves — stdout, stderr, `--json`, the SQLite checkpoint, eval and ablation output directories,
// the LangSmith sink's received bodies — is searched for the canaries and their fragments.
import { randomBytes } from "node:crypto";
import { readdir, readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startLangSmithSink,
  startSimulator,
  type LangSmithSink,
  type Simulator,
} from "../../../src/testing/index.js";
import { evalArgv, runCapturedCli, type CliResult } from "../../support/cli-io.js";

/** The OpenAI key (proposers, aggregator, the AlpacaEval judge). */
const SK_CANARY = `sk-canary-${randomBytes(12).toString("hex")}`;
/** The Together key (Together proposers and judges): bare hex, like Together's real keys. */
const HEX_CANARY = randomBytes(32).toString("hex");
const LANGSMITH_CANARY = `lsv2_pt_${randomBytes(16).toString("hex")}_canary`;

/** What must appear nowhere: each key, and distinctive pieces of each. */
const NEEDLES = [
  SK_CANARY,
  SK_CANARY.slice("sk-canary-".length),
  HEX_CANARY,
  HEX_CANARY.slice(0, 20),
  HEX_CANARY.slice(22, 44),
  HEX_CANARY.slice(-16),
  LANGSMITH_CANARY,
];

let sim: Simulator;
let sink: LangSmithSink;
let dir: string;
let env: Record<string, string>;
/** Every text an artefact holds, by a label saying where it came from. */
const artefacts = new Map<string, string>();

async function moa(label: string, argv: string[]): Promise<CliResult> {
  const result = await runCapturedCli(argv, env);
  artefacts.set(`${label} stdout`, result.out);
  artefacts.set(`${label} stderr`, result.err);
  return result;
}

/** Every file under `path`, read as bytes (latin1 keeps each byte, so binary files are searched too). */
async function collectFiles(path: string): Promise<void> {
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    artefacts.set(file, (await readFile(file)).toString("latin1"));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "moa-canary-"));
  sink = await startLangSmithSink({ apiKey: LANGSMITH_CANARY });
  sim = await startSimulator({
    models: {
      // OpenAI's own text: "Incorrect API key provided: <the key sent>. You can find …".
      rejects: { faults: () => ({ kind: "status", status: 401, echoApiKey: true }) },
      // A provider quoting the key in words no shape rule knows.
      "hex-rejects": {
        faults: () => ({
          kind: "status",
          status: 401,
          echoApiKey: true,
          message: "Unauthorized: credential {apiKey} is not valid for this model",
        }),
      },
      // A proxy that quotes only the first 20 characters of the key.
      "cut-rejects": {
        faults: () => ({
          kind: "status",
          status: 403,
          message: `token ${HEX_CANARY.slice(0, 20)}… was revoked`,
        }),
      },
    },
  });
  const base = `${sim.url}/v1`;
  env = {
    OPENAI_BASE_URL: base,
    OPENAI_API_KEY: SK_CANARY,
    TOGETHER_BASE_URL: base,
    TOGETHER_API_KEY: HEX_CANARY,
    LANGSMITH_TRACING: "false",
  };
});

afterAll(async () => {
  process.env.LANGSMITH_TRACING = "false";
  delete process.env.LANGSMITH_ENDPOINT;
  delete process.env.LANGSMITH_API_KEY;
  await sink?.close();
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const FAILING_PROPOSERS = "openai:rejects,together:hex-rejects,together:cut-rejects";

describe("canary sweep: no configured key reaches any artefact", { timeout: 60_000 }, () => {
  it("moa run --json --thread keeps the keys out of stdout, stderr and the SQLite checkpoint", async () => {
    const database = join(dir, "checkpoints.sqlite");
    const result = await moa("moa run --json --thread", [
      "run",
      "--json",
      "--thread",
      "canary",
      "--checkpoint-db",
      database,
      "--proposers",
      `${FAILING_PROPOSERS},openai:works`,
      "--aggregator",
      "openai:works",
      "--layers",
      "2",
      "Name three primes.",
    ]);
    expect(result.code, result.err).toBe(0);
    const errors = (JSON.parse(result.out) as { proposals: { error?: string }[] }).proposals
      .map((proposal) => proposal.error)
      .filter((error) => error !== undefined);
    // The providers' explanations survive; only the keys are masked.
    expect(errors).toEqual([
      expect.stringContaining("Incorrect API key provided: ***"),
      expect.stringContaining("credential *** is not valid"),
      expect.stringContaining("token ***"),
    ]);
    await collectFiles(dir);
  });

  it("moa run without a quorum prints InsufficientProposalsError without the keys", async () => {
    const result = await moa("moa run (no quorum)", [
      "run",
      "--proposers",
      FAILING_PROPOSERS,
      "--aggregator",
      "openai:works",
      "--layers",
      "2",
      "Name three primes.",
    ]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/`--min-proposals` is 1/);
    expect(result.err).toMatch(/Incorrect API key provided: \*\*\*/);
  });

  it("moa eval generate + judge with failing judges keeps the keys out of errors.jsonl", async () => {
    const out = join(dir, "eval");
    const answers = join(out, "model_outputs.json");
    const generated = await moa(
      "moa eval generate",
      evalArgv(
        "generate",
        "alpaca-eval",
        "--proposers",
        `together:hex-rejects,openai:works`,
        "--aggregator",
        "openai:works",
        "--layers",
        "2",
        "--max-instances",
        "2",
        "--out",
        answers,
      ),
    );
    expect(generated.code, generated.err).toBe(0);
    for (const judge of ["openai:rejects", "together:hex-rejects"]) {
      const judged = await moa(
        `moa eval judge --judge ${judge}`,
        evalArgv(
          "judge",
          "alpaca-eval",
          "--judge",
          judge,
          "--answers",
          answers,
          "--out",
          join(out, `annotations-${judge.replace(":", "-")}.json`),
          "--no-cache",
        ),
      );
      expect(judged.code).not.toBe(0);
      expect(judged.err).toMatch(/failed/);
    }
    await collectFiles(out);
    const failureFiles = [...artefacts.keys()].filter((path) => path.endsWith(".errors.jsonl"));
    expect(failureFiles.length).toBeGreaterThanOrEqual(2);
  });

  it("moa ablate with a failing judge keeps the keys out of the study directory", async () => {
    const out = join(dir, "ablate");
    await moa("moa ablate", [
      "ablate",
      "--study",
      "ranker",
      "--benchmark",
      "alpaca-eval",
      "--models",
      "openai:works,together:hex-rejects",
      "--layers",
      "2",
      "--judge",
      "together:hex-rejects",
      "--max-instances",
      "1",
      "--out",
      out,
      "--json",
    ]);
    await collectFiles(out);
    expect([...artefacts.keys()].some((path) => path.startsWith(out))).toBe(true);
  });

  it("a LangSmith-traced moa run sends the sink no key", async () => {
    process.env.LANGSMITH_TRACING = "true";
    process.env.LANGSMITH_ENDPOINT = sink.url;
    process.env.LANGSMITH_API_KEY = LANGSMITH_CANARY;
    try {
      await moa("traced moa run", [
        "run",
        "--json",
        "--proposers",
        `${FAILING_PROPOSERS},openai:works`,
        "--aggregator",
        "openai:works",
        "--layers",
        "2",
        "Name three primes.",
      ]);
      await awaitAllCallbacks();
      await sink.waitFor((runs) => runs.some((run) => run.error != null && run.end_time != null));
    } finally {
      process.env.LANGSMITH_TRACING = "false";
    }
    const payload = sink.payloadText();
    expect(payload).toContain("Incorrect API key provided");
    artefacts.set("LangSmith sink bodies", payload);
  });

  it("finds no canary and no fragment of one in any artefact", () => {
    expect(artefacts.size).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const [label, text] of artefacts) {
      for (const needle of NEEDLES) {
        const at = text.indexOf(needle);
        if (at >= 0) leaks.push(`${label}: …${text.slice(Math.max(0, at - 80), at + 40)}…`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
