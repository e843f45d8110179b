// `moa run` with local: models sets the engine's threads: `--threads`, else the same default as
// `moa demo` (defaultLocalThreads). The engine is mocked: nothing loads node-llama-cpp here.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { LocalModelLoadOptions } from "../../../src/local/local-model-types.js";

const loads = vi.hoisted(() => [] as LocalModelLoadOptions[]);

vi.mock("../../../src/local/local-engine.js", async (original) => ({
  ...(await original<typeof import("../../../src/local/local-engine.js")>()),
  importLocalEngine: async () => ({}),
}));
vi.mock("../../../src/local/local-model-registry.js", async (original) => ({
  ...(await original<typeof import("../../../src/local/local-model-registry.js")>()),
  getLocalModel: async (options: LocalModelLoadOptions) => {
    loads.push(options);
    throw new Error("engine mocked in this test");
  },
}));

const { runCapturedCli } = await import("../../support/cli-io.js");
const { defaultLocalThreads } = await import("../../../src/local/default-local-threads.js");

let cache: string;
beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), "moa-run-threads-"));
  writeFileSync(join(cache, "tiny.gguf"), "GGUF");
});
afterAll(() => rmSync(cache, { recursive: true, force: true }));
beforeEach(() => {
  loads.length = 0;
});

const RUN = ["run", "--proposers", "local:tiny", "--aggregator", "local:tiny", "--layers", "2"];

describe("moa run --threads", () => {
  it("passes --threads to the local engine of every local: model", async () => {
    await runCapturedCli([...RUN, "--threads", "3", "--retries", "0", "hi"], {
      MOA_MODELS_DIR: cache,
    });
    expect(loads.length).toBeGreaterThan(0);
    expect(loads.map((options) => options.threads)).toEqual(loads.map(() => 3));
  });

  it("defaults to the machine's default threads (as moa demo does), not node-llama-cpp's all-cores", async () => {
    await runCapturedCli([...RUN, "--retries", "0", "hi"], { MOA_MODELS_DIR: cache });
    expect(loads.length).toBeGreaterThan(0);
    expect(new Set(loads.map((options) => options.threads))).toEqual(
      new Set([defaultLocalThreads()]),
    );
  });

  it("keeps MOA_LOCAL_THREADS when it is set and no flag is given", async () => {
    await runCapturedCli([...RUN, "--retries", "0", "hi"], {
      MOA_MODELS_DIR: cache,
      MOA_LOCAL_THREADS: "2",
    });
    expect(new Set(loads.map((options) => options.threads))).toEqual(new Set([2]));
  });

  it.each(["0", "1.5", "two", ""])("rejects --threads %j naming the flag", async (value) => {
    const result = await runCapturedCli([...RUN, "--threads", value, "hi"], {
      MOA_MODELS_DIR: cache,
    });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--threads must be a whole number ≥ 1/);
    expect(loads).toEqual([]);
  });
});

describe("defaultLocalThreads", () => {
  it.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [8, 4],
    [64, 4],
  ])("gives %i cores %i thread(s)", (cores, threads) => {
    expect(defaultLocalThreads(cores)).toBe(threads);
  });
});
