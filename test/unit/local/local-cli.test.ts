import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDownloadProgressReporter } from "../../../src/cli/local-download-progress.js";
import { runCli } from "../../../src/cli/main.js";
import { createToyModel } from "../../../src/local/toy-model.js";
import { captureCliIo } from "../../support/cli-io.js";

const io = captureCliIo;

let cache: string;
beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), "moa-cli-local-"));
});
afterEach(() => rmSync(cache, { recursive: true, force: true }));

describe("moa models list", () => {
  it("says how to get a model when the cache is empty", async () => {
    const cli = io({ MOA_MODELS_DIR: cache });
    expect(await runCli(["models", "list"], cli.io)).toBe(0);
    expect(cli.out()).toContain(`No models in ${cache}.`);
    expect(cli.out()).toMatch(/moa models pull Qwen\/Qwen2.5-0.5B-Instruct-GGUF\//);
    expect(cli.out()).toMatch(/moa demo/);
  });

  it("lists cached models as local: specs with sizes, marks toys and unfinished downloads", async () => {
    mkdirSync(join(cache, "o", "r"), { recursive: true });
    writeFileSync(join(cache, "o", "r", "m.gguf"), Buffer.alloc(2_500_000));
    writeFileSync(join(cache, "o", "r", "n.gguf.partial"), Buffer.alloc(1_000_000));
    writeFileSync(
      join(cache, "toy-beta.gguf"),
      createToyModel({ name: "toy-beta", reply: "b" }).bytes,
    );
    const cli = io({ MOA_MODELS_DIR: cache });
    expect(await runCli(["models", "list"], cli.io)).toBe(0);
    const lines = cli.out().split("\n");
    expect(lines[0]).toBe(`Models in ${cache}:`);
    expect(lines[1]).toMatch(/^ {2}local:o\/r\/m\s+2\.5 MB$/);
    expect(lines[2]).toMatch(/^ {2}local:toy-beta\s+0\.\d MB {2}toy weights/);
    expect(lines[3]).toMatch(
      /o\/r\/n — incomplete download \(1\.0 MB so far\); `moa models pull o\/r\/n\.gguf` resumes it/,
    );
  });

  it("prints JSON with --json", async () => {
    writeFileSync(join(cache, "x.gguf"), "GGUF");
    const cli = io({ MOA_MODELS_DIR: cache });
    expect(await runCli(["models", "list", "--json"], cli.io)).toBe(0);
    const listing = JSON.parse(cli.out());
    expect(listing).toMatchObject({
      directory: cache,
      models: [{ name: "x", spec: "local:x", sizeBytes: 4, toy: false }],
      incomplete: [],
    });
  });
});

describe("usage errors of the local commands", () => {
  it.each([
    [["models", "pull", "just-a-file.gguf"], /<owner>\/<repo>\/<file>\.gguf/],
    [["models", "pull", "o/r/m.gguf", "--sha256", "xyz"], /64 hexadecimal characters/],
    [["models", "pull", "o/r/m.gguf", "--hub-url", "ftp://x"], /must be an http\(s\) URL/],
    [["demo", "--threads", "0"], /--threads must be a whole number ≥ 1/],
    [["demo", "--layers", "zero"], /--layers must be a number/],
    [["demo", "--layers", "0"], /--layers: must be ≥ 1/],
  ])("moa %j exits 2 naming the problem", async (argv, message) => {
    const cli = io({ MOA_MODELS_DIR: cache });
    expect(await runCli(argv, cli.io)).toBe(2);
    expect(cli.err()).toMatch(message);
    expect(cli.err()).not.toMatch(/\n\s+at /);
  });
});

describe("download progress without a terminal", () => {
  it("prints a line per 10 % with size, speed and ETA", () => {
    const cli = io();
    let now = 0;
    const reporter = createDownloadProgressReporter(cli.io, "m.gguf", () => now);
    const total = 10_000_000;
    for (let received = 0; received <= total; received += 500_000) {
      now = received / 10_000; // 10 MB/s
      reporter.onProgress({ receivedBytes: received, totalBytes: total, resumedFromBytes: 0 });
    }
    reporter.stop();
    const lines = cli.err().trim().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[5]).toBe("m.gguf: 50% · 5.0/10.0 MB · 10.0 MB/s · ETA 1s");
    expect(lines.at(-1)).toMatch(/^m\.gguf: 100% · 10\.0\/10\.0 MB/);
  });

  it("mentions a resumed download", () => {
    const cli = io();
    const reporter = createDownloadProgressReporter(cli.io, "m.gguf", () => 1000);
    reporter.onProgress({
      receivedBytes: 4_000_000,
      totalBytes: 8_000_000,
      resumedFromBytes: 4_000_000,
    });
    expect(cli.err()).toMatch(/resumed at 4\.0 MB/);
  });
});
