import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors/index.js";
import {
  etagSha256,
  hubFileUrl,
  parseHubReference,
  pullModel,
} from "../../../src/local/pull-model.js";

describe("parseHubReference", () => {
  it.each([
    [
      "Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf",
      {
        owner: "Qwen",
        repository: "Qwen2.5-0.5B-Instruct-GGUF",
        file: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
      },
    ],
    ["a/b/sub/dir/m.GGUF", { owner: "a", repository: "b", file: "sub/dir/m.GGUF" }],
  ])("splits %s", (reference, expected) => {
    expect(parseHubReference(reference)).toEqual(expected);
  });

  it.each([
    ["model.gguf", /<owner>\/<repo>\/<file>\.gguf/],
    ["a/b", /<owner>\/<repo>\/<file>\.gguf/],
    ["a//b/m.gguf", /<owner>\/<repo>\/<file>\.gguf/],
    ["a/b/../m.gguf", /<owner>\/<repo>\/<file>\.gguf/],
    ["a/b/model.safetensors", /GGUF files/],
  ])("rejects %s", (reference, message) => {
    expect(() => parseHubReference(reference)).toThrow(message);
  });
});

describe("hubFileUrl", () => {
  it("follows the hub's resolve pattern and encodes each segment", () => {
    expect(hubFileUrl("https://huggingface.co/", parseHubReference("o/r/d/m 1.gguf"))).toBe(
      "https://huggingface.co/o/r/resolve/main/d/m%201.gguf",
    );
    expect(hubFileUrl("http://127.0.0.1:9/hub", parseHubReference("o/r/m.gguf"), "v1.0")).toBe(
      "http://127.0.0.1:9/hub/o/r/resolve/v1.0/m.gguf",
    );
  });
});

describe("etagSha256", () => {
  const sha = "a".repeat(64);
  it.each([
    [`"${sha}"`, sha],
    [`W/"${sha.toUpperCase()}"`, sha],
    [sha, sha],
    ['"5d41402abc4b2a76b9719d911017c592"', undefined], // an MD5-style ETag says nothing
    [null, undefined],
  ])("reads %s as %s", (etag, expected) => {
    expect(etagSha256(etag)).toBe(expected);
  });
});

describe("pullModel arguments", () => {
  it.each([2 ** 31, 0])(
    "refuses an idleTimeoutMs of %s before any request",
    async (idleTimeoutMs) => {
      let requests = 0;
      const error = await pullModel({
        reference: "owner/repo/model.gguf",
        directory: "/nonexistent",
        idleTimeoutMs,
        fetch: () => {
          requests += 1;
          throw new Error("no network");
        },
      }).catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
      expect((error as InvalidArgumentError).parameter).toBe("idleTimeoutMs");
      expect(requests).toBe(0);
    },
  );
});
