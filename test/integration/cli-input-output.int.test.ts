import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { parseSyntheticReply } from "../../src/testing/simulator/index.js";
import { captureCliIo } from "../support/cli-io.js";

// `moa run`'s input and output, against the loopback simulator (real ChatOpenAI clients over
// HTTP). Tests of the binary need dist/ built (`npx tsc -p tsconfig.build.json`).
const SMALL = ["--layers", "2", "--proposers", "openai:a", "--aggregator", "openai:b"];
const ENV = { PATH: process.env.PATH, LANGSMITH_TRACING: "false" };

interface BinaryResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/moa.js …` (through a shell when `pipeline` is given), feeding `stdin`. */
function moaBinary(
  args: string[],
  options: { stdin?: string; pipeline?: string } = {},
): Promise<BinaryResult> {
  const child = options.pipeline
    ? spawn(
        "bash",
        [
          "-c",
          `"${process.execPath}" bin/moa.js ${args.map((arg) => `'${arg}'`).join(" ")} ${options.pipeline}`,
        ],
        { env: ENV },
      )
    : spawn(process.execPath, ["bin/moa.js", ...args], { env: ENV });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  else child.stdin.end();
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "moa-cli-")), name);
  writeFileSync(file, text);
  return file;
}

// Over 2 MB: larger than Linux's 128 KiB limit on one command-line argument.
const HUGE_PROMPT = "word ".repeat(440_000);

beforeAll(() => {
  expect(existsSync("dist/src/cli/main.js"), "dist/ is missing: run the build first").toBe(true);
});

describe("moa run: where the prompt comes from", () => {
  it.each([
    ["--prompt-file PATH", () => ["--prompt-file", tempFile("huge.txt", HUGE_PROMPT)], undefined],
    ["- (stdin)", () => ["-"], HUGE_PROMPT],
    ["--prompt-file - (stdin)", () => ["--prompt-file", "-"], HUGE_PROMPT],
  ])(
    "answers a prompt over 2 MB given by %s",
    async (_how, source, stdin) => {
      const result = await moaBinary(["run", "--simulate", "--json", ...SMALL, ...source()], {
        stdin,
      });
      expect(result.code, result.stderr).toBe(0);
      const answer = parseSyntheticReply(JSON.parse(result.stdout).answer);
      expect(answer).toMatchObject({ model: "b", references: 1, turns: 1 });
      expect(answer?.excerpt).toBe("word word word word word word word word");
    },
    60_000,
  );

  it("runs with a --system prompt", async () => {
    const cli = captureCliIo();
    const code = await runCli(
      ["run", "--simulate", "--json", "--layers", "1", "--system", "Answer in French.", "Hi"],
      cli.io,
    );
    expect(code, cli.err()).toBe(0);
    expect(parseSyntheticReply(JSON.parse(cli.out()).answer)).toMatchObject({ turns: 1 });
  });

  it.each([
    ["an empty argument", ["   "]],
    ["an empty --prompt-file", ["--prompt-file", tempFile("empty.txt", "\n\t \n")]],
  ])("exits 2 on %s before starting anything", async (_what, source) => {
    const cli = captureCliIo();
    expect(await runCli(["run", "--simulate", ...source], cli.io)).toBe(2);
    expect(cli.err()).toMatch(
      /^moa: the prompt.* is empty; nothing was called\.\nSee `moa run --help`\.\n$/,
    );
    // The simulator was never started, so no call was made.
    expect(cli.err()).not.toMatch(/SIMULATED/);
  });
});

describe("moa run: warnings and failures", () => {
  it("warns on stderr before the run when the prompt overflows a known context window", async () => {
    const cli = captureCliIo();
    const code = await runCli(
      [
        "run",
        "--simulate",
        "--layers",
        "2",
        "--proposers",
        "together:meta-llama/Llama-3-70b-chat-hf",
        "--aggregator",
        "openai:b",
        "--prompt-file",
        tempFile("long.txt", "word ".repeat(8_000)),
      ],
      cli.io,
    );
    expect(code, cli.err()).toBe(0);
    expect(cli.err()).toMatch(
      /moa: warning: context: layer 1 together:meta-llama\/Llama-3-70b-chat-hf needs ~\d+ tokens, above its 8192-token window \(the prompt alone is too long for it\)/,
    );
    // Same estimate as `moa plan` for that prompt size.
    const plan = captureCliIo();
    await runCli(
      [
        "plan",
        ...["--proposers", "together:meta-llama/Llama-3-70b-chat-hf", "--aggregator", "openai:b"],
        ...["--layers", "2", "--prompt-tokens", "11433", "--output-tokens", "500"],
      ],
      plan.io,
    );
    const line = (text: string) => /context: layer 1 [^\n]*/.exec(text)?.[0];
    expect(line(cli.err())).toBe(line(plan.out()));
  });

  it("--json prints the error and what finished as one object, with the exit code unchanged", async () => {
    const cli = captureCliIo();
    // Every simulated call takes ≥ 150 ms: a 1 ms timeout fails every proposer of layer 1.
    const code = await runCli(["run", "--simulate", "--json", "--timeout-ms", "1", "hi"], cli.io);
    expect(code).toBe(1);
    const output = JSON.parse(cli.out());
    expect(output.error).toMatchObject({ type: "InsufficientProposalsError" });
    expect(output.error.flag).toMatch(/^--(min-proposals|timeout-ms)$/);
    expect(output.error.message).not.toMatch(/`minProposals`|`callTimeoutMs`/);
    expect(output.proposals).toHaveLength(6);
    expect(
      output.proposals.every((proposal: { status: string }) => proposal.status === "error"),
    ).toBe(true);
    expect(output.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    // stderr names the flags, not the library's parameters.
    expect(cli.err()).toMatch(/`--min-proposals`/);
    expect(cli.err()).not.toMatch(/`minProposals`|`callTimeoutMs`/);
  });

  it("--json prints a usage error as one object too, naming the flag (exit 2)", async () => {
    const cli = captureCliIo();
    expect(await runCli(["run", "--simulate", "--json", "--budget-usd", "0", "hi"], cli.io)).toBe(
      2,
    );
    expect(JSON.parse(cli.out()).error).toEqual({
      type: "InvalidConfigError",
      message: "invalid options:\n  - --budget-usd: must be > 0",
      flag: "--budget-usd",
    });
  });

  it("ends quietly when stdout is closed early (`| head -c 10`)", async () => {
    const result = await moaBinary(["run", "--simulate", "--layers", "1", "Why is the sky blue?"], {
      pipeline: '| head -c 10; exit "${PIPESTATUS[0]}"',
    });
    expect(result.stdout).toHaveLength(10);
    expect(result.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(result.code).toBe(0);
  }, 60_000);
});

describe("moa run: what the output describes", () => {
  it("describes the configuration that ran, after overrides", async () => {
    const cli = captureCliIo();
    const code = await runCli(
      ["run", "--simulate", "--json", "--preset", "moa-lite", "--aggregator", "openai:x", "hi"],
      cli.io,
    );
    expect(code, cli.err()).toBe(0);
    const { config } = JSON.parse(cli.out());
    expect(config.description).toMatch(/^2 layers: .* → x$/);
    expect(config.description).not.toMatch(/Qwen1\.5-72B-Chat aggregator/);
  });

  it("the simulated ranker picks a valid answer (no fallback), shown as one ranker row", async () => {
    const json = captureCliIo();
    expect(
      await runCli(["run", "--simulate", "--json", "--preset", "llm-ranker", "hi"], json.io),
    ).toBe(0);
    const { aggregation } = JSON.parse(json.out());
    expect(aggregation.ranking).toMatchObject({ fallback: false });
    expect(aggregation.ranking.replies).toHaveLength(1);
    expect(aggregation.ranking.calls).toHaveLength(1);

    const text = captureCliIo();
    expect(await runCli(["run", "--simulate", "--preset", "llm-ranker", "hi"], text.io)).toBe(0);
    expect(text.out().match(/│ ranker /g)).toHaveLength(1);
    expect(text.out()).not.toMatch(/note: ranker fallback/);
  });

  it("keeps every turn of a --thread whose simulated completion ids restart each run", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "moa-thread-")), "checkpoints.sqlite");
    for (let turn = 1; turn <= 3; turn++) {
      const cli = captureCliIo();
      const code = await runCli(
        [
          "run",
          ...["--simulate", "--json", "--preset", "moa-lite"],
          ...["--thread", "T", "--checkpoint-db", db],
          `question ${turn}`,
        ],
        cli.io,
      );
      expect(code, cli.err()).toBe(0);
      // The aggregator's answer, having seen every earlier user turn — not the user's prompt.
      expect(parseSyntheticReply(JSON.parse(cli.out()).answer)).toMatchObject({
        model: "Qwen/Qwen1.5-72B-Chat",
        turns: turn,
        excerpt: `question ${turn}`,
      });
    }
  }, 60_000);
});
