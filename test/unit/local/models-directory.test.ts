import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModelSpecError } from "../../../src/errors/index.js";
import {
  isToyModelFile,
  listCachedModels,
  listPartialDownloads,
  modelsDirectory,
  resolveLocalModel,
} from "../../../src/local/models-directory.js";
import { createToyModel } from "../../../src/local/toy-model.js";

let root: string;
let cache: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "moa-models-"));
  cache = join(root, "cache");
  mkdirSync(join(cache, "Qwen", "Qwen2.5-0.5B-Instruct-GGUF"), { recursive: true });
  mkdirSync(join(cache, "other", "repo"), { recursive: true });
  writeFileSync(
    join(cache, "toy-alpha.gguf"),
    createToyModel({ name: "toy-alpha", reply: "hi" }).bytes,
  );
  writeFileSync(join(cache, "Qwen", "Qwen2.5-0.5B-Instruct-GGUF", "qwen-q4.gguf"), "GGUF");
  writeFileSync(join(cache, "Qwen", "Qwen2.5-0.5B-Instruct-GGUF", "twin.gguf"), "GGUF");
  writeFileSync(join(cache, "other", "repo", "twin.gguf"), "GGUF");
  writeFileSync(join(cache, "other", "repo", "big.gguf.partial"), "GG");
  writeFileSync(join(root, "loose.gguf"), "GGUF");
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function specError(run: () => unknown): ModelSpecError {
  try {
    run();
  } catch (error) {
    if (ModelSpecError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a ModelSpecError");
}

describe("modelsDirectory", () => {
  it.each([
    [{}, "/home/ada/.cache/langgraph-moa/models"],
    [{ MOA_MODELS_DIR: "" }, "/home/ada/.cache/langgraph-moa/models"],
    [{ MOA_MODELS_DIR: "/srv/models" }, "/srv/models"],
    [{ MOA_MODELS_DIR: "~/gguf" }, "/home/ada/gguf"],
  ])("with %j is %s", (env, expected) => {
    expect(modelsDirectory(env, "/home/ada")).toBe(expected);
  });
});

describe("resolveLocalModel", () => {
  it.each([
    ["toy-alpha", "toy-alpha.gguf"],
    ["toy-alpha.gguf", "toy-alpha.gguf"],
    ["Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen-q4", "Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen-q4.gguf"],
    ["qwen-q4", "Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen-q4.gguf"],
    ["other/repo/twin", "other/repo/twin.gguf"],
  ])("finds the cached name %s", (name, path) => {
    expect(resolveLocalModel(`local:${name}`, name, cache)).toBe(join(cache, path));
  });

  it("takes an absolute path or a home-relative one as is", () => {
    expect(resolveLocalModel("local:x", join(root, "loose.gguf"), cache)).toBe(
      join(root, "loose.gguf"),
    );
    expect(resolveLocalModel("local:x", "~/loose.gguf", cache, root)).toBe(
      join(root, "loose.gguf"),
    );
  });

  it("reports a missing path with the path and how to pull", () => {
    const error = specError(() => resolveLocalModel("local:/nope.gguf", "/nope.gguf", cache));
    expect(error.reason).toBe("unavailable");
    expect(error.message).toMatch(/no GGUF file at \/nope.gguf/);
    expect(error.message).toMatch(/moa models pull/);
  });

  it("reports an unknown name with the cache folder, the pull command and MOA_MODELS_DIR", () => {
    const error = specError(() => resolveLocalModel("local:llama", "llama", cache));
    expect(error.message).toContain(cache);
    expect(error.message).toMatch(/moa models pull <owner>\/<repo>\/<file>\.gguf/);
    expect(error.variables).toEqual(["MOA_MODELS_DIR"]);
  });

  it("refuses an ambiguous file name and lists the full names", () => {
    const error = specError(() => resolveLocalModel("local:twin", "twin", cache));
    expect(error.message).toMatch(/matches 2 cached models/);
    expect(error.message).toContain("local:other/repo/twin");
    expect(error.message).toContain("local:Qwen/Qwen2.5-0.5B-Instruct-GGUF/twin");
  });

  it("never resolves a name outside the cache", () => {
    expect(() => resolveLocalModel("local:../loose", "../loose", cache)).toThrow(/no GGUF file/);
  });
});

describe("listing the cache", () => {
  it("lists GGUF files by name with sizes, and unfinished downloads apart", () => {
    expect(listCachedModels(cache).map((model) => model.name)).toEqual([
      "other/repo/twin",
      "Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen-q4",
      "Qwen/Qwen2.5-0.5B-Instruct-GGUF/twin",
      "toy-alpha",
    ]);
    expect(listPartialDownloads(cache)).toMatchObject([{ name: "other/repo/big", sizeBytes: 2 }]);
    expect(listCachedModels(join(root, "missing"))).toEqual([]);
  });

  it("recognises toy models by their description", () => {
    expect(isToyModelFile(join(cache, "toy-alpha.gguf"))).toBe(true);
    expect(isToyModelFile(join(cache, "other", "repo", "twin.gguf"))).toBe(false);
    expect(isToyModelFile(join(cache, "missing.gguf"))).toBe(false);
  });
});
