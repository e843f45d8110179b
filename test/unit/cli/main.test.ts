import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/main.js";
import { captureCliIo } from "../../support/cli-io.js";

describe("moa CLI usage errors", () => {
  it.each([
    [["run", "hi", "--layers", "three"], /--layers must be a number/],
    [["run", "hi", "--layers", "0"], /--layers: must be ≥ 1/],
    [["run", "hi", "--max-tokens", "-5"], /--max-tokens: must be ≥ 1/],
    [
      ["run", "hi", "--proposers", "gpt-4o"],
      /--proposers \(item 0\): must be a "provider:model" string/,
    ],
    [["run", "hi", "--aggregation", "vote"], /Allowed choices are synthesize, rank/],
    [["run", "hi", "--preset", "gpt5"], /Allowed choices are moa, moa-lite/],
    [["run"], /missing prompt: pass it as an argument, with --prompt-file PATH, or `-`/],
    [["run", "   \n\t"], /the prompt is empty; nothing was called/],
    [
      ["run", "--prompt-file", "/nonexistent/prompt.txt"],
      /--prompt-file \/nonexistent\/prompt.txt: cannot read/,
    ],
    [["run", "hi", "--prompt-file", "p.txt"], /not both/],
    [["run", "hi", "--system", " "], /--system is empty/],
    [["run", "hi", "--bogus"], /unknown option '--bogus'/],
    [["nonsense"], /unknown command 'nonsense'/],
    [["sim", "--port", "99999"], /--port must be a whole number from 0 to 65535/],
    [["run", "hi", "--budget-usd", "0"], /--budget-usd: must be > 0/],
    [["run", "hi", "--budget-tokens", "1.5"], /--budget-tokens: must be a whole number/],
    [["run", "hi", "--timeout-ms", "0"], /--timeout-ms: must be ≥ 1/],
    [["run", "hi", "--retries", "11"], /--retries: must be ≤ 10/],
    [["run", "hi", "--timeout-ms", "2147483648"], /--timeout-ms: must be ≤ 2147483647/],
    [["run", "hi", "--straggler-grace-ms", "1e12"], /--straggler-grace-ms: must be ≤ 2147483647/],
    [["run", "hi", "--samples", "17"], /--samples: must be ≤ 16/],
    [["run", "hi", "--layers", "1000000000"], /--layers: must be ≤ 16/],
    [["run", "hi", "--straggler-grace-ms", "-1"], /--straggler-grace-ms: must be ≥ 0/],
    [
      ["run", "hi", "--prices", "/nonexistent/prices.json"],
      /--prices: cannot read \/nonexistent\/prices.json/,
    ],
  ])("moa %j exits 2 with a message naming the problem", async (argv, message) => {
    const cli = captureCliIo();
    expect(await runCli(argv, cli.io)).toBe(2);
    expect(cli.err()).toMatch(message);
    expect(cli.err()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("without credentials or --simulate, exits 2 listing the variable to set and --simulate", async () => {
    const cli = captureCliIo();
    expect(await runCli(["run", "hello"], cli.io)).toBe(2);
    expect(cli.err()).toMatch(/TOGETHER_API_KEY/);
    expect(cli.err()).toMatch(/--simulate/);
  });

  it.each([
    [["run", "hi", "--bogus"], "error: unknown option '--bogus'", "moa run"],
    [["run", "hi", "--layers", "x"], 'moa: --layers must be a number, got "x".', "moa run"],
    [["plan", "--budget-usd", "0"], "moa: invalid options:", "moa plan"],
    [
      ["eval", "report"],
      "error: required option '--benchmark <name>' not specified",
      "moa eval report",
    ],
  ])(
    "moa %j prints the message and the command's help hint, not the whole help",
    async (argv, first, command) => {
      const cli = captureCliIo();
      expect(await runCli(argv, cli.io)).toBe(2);
      const lines = cli.err().trimEnd().split("\n");
      expect(lines[0]).toBe(first);
      expect(lines.at(-1)).toBe(`See \`${command} --help\`.`);
      expect(cli.err()).not.toMatch(/Usage:|Options:/);
    },
  );

  it("prints help and exits 0", async () => {
    const cli = captureCliIo();
    expect(await runCli(["run", "--help"], cli.io)).toBe(0);
    expect(cli.out()).toMatch(/--simulate/);
    expect(cli.out()).toMatch(/--aggregation <mode>/);
  });
});
