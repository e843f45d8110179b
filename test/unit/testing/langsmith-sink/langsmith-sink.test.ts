import { describe, expect, it } from "vitest";
import {
  applyRunOperation,
  buildRunTree,
  flattenRunTree,
  formatRunTree,
  multipartBoundary,
  parseMultipart,
  type SinkRun,
} from "../../../../src/testing/langsmith-sink/index.js";

function multipartBody(boundary: string, parts: Array<[string, string]>): Buffer {
  const chunks = parts.map(
    ([name, data]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: application/json; length=${data.length}\r\n\r\n${data}\r\n`,
  );
  return Buffer.from(`${chunks.join("")}--${boundary}--\r\n`);
}

describe("multipartBoundary", () => {
  it.each([
    ["multipart/form-data; boundary=----LangSmithFormBoundaryabc", "----LangSmithFormBoundaryabc"],
    ['multipart/form-data; boundary="quoted value"', "quoted value"],
    ["application/json", undefined],
    [undefined, undefined],
  ])("%j → %j", (header, boundary) => {
    expect(multipartBoundary(header)).toBe(boundary);
  });
});

describe("parseMultipart", () => {
  it("splits a LangSmith-style body into named parts, keeping data that contains CRLF", () => {
    const body = multipartBody("b0", [
      ["post.r1", '{"id":"r1","name":"moa"}'],
      ["post.r1.inputs", '{"text":"line one\\r\\nline two"}'],
      ["patch.r1", '{"id":"r1","end_time":2}'],
    ]);
    const parts = parseMultipart(body, "b0");
    expect(parts.map((part) => part.name)).toEqual(["post.r1", "post.r1.inputs", "patch.r1"]);
    expect(parts[0]!.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(parts[1]!.data.toString("utf8"))).toEqual({ text: "line one\r\nline two" });
  });

  it("returns no parts for a body that does not start with the boundary", () => {
    expect(parseMultipart(Buffer.from("garbage"), "b0")).toEqual([]);
  });
});

describe("applyRunOperation", () => {
  const post = {
    kind: "post" as const,
    fields: { id: "r1", name: "layer 1 · a #0", extra: { metadata: { moa_layer: 1 } } },
  };
  const patch = {
    kind: "patch" as const,
    fields: { id: "r1", end_time: 5, outputs: { ok: true }, extra: { metadata: { done: 1 } } },
  };

  it("merges a create and its update, metadata key by key", () => {
    const run = applyRunOperation(applyRunOperation(undefined, post), patch);
    expect(run).toMatchObject({
      id: "r1",
      name: "layer 1 · a #0",
      end_time: 5,
      outputs: { ok: true },
      posted: true,
      ended: true,
    });
    expect(run.extra?.metadata).toEqual({ moa_layer: 1, done: 1 });
  });

  it("gives the same run when the update arrives first", () => {
    const forward = applyRunOperation(applyRunOperation(undefined, post), patch);
    const backward = applyRunOperation(applyRunOperation(undefined, patch), post);
    expect(backward).toEqual(forward);
  });
});

describe("buildRunTree", () => {
  const run = (id: string, parent: string | null, order: string, name = id): SinkRun => ({
    id,
    name,
    run_type: "chain",
    parent_run_id: parent,
    dotted_order: order,
    posted: true,
    ended: true,
  });

  it("nests runs by parent and orders siblings by dotted_order; orphans become roots", () => {
    const runs = [
      run("c2", "root", "1.3"),
      run("root", null, "1"),
      run("c1", "root", "1.2"),
      run("g", "c1", "1.2.1"),
      run("lost", "nowhere", "9"),
    ];
    const tree = buildRunTree(runs);
    expect(tree.map((node) => node.run.id)).toEqual(["root", "lost"]);
    expect(flattenRunTree(tree).map(({ run: { id }, depth }) => `${depth}:${id}`)).toEqual([
      "0:root",
      "1:c1",
      "2:g",
      "1:c2",
      "0:lost",
    ]);
    expect(formatRunTree(tree).split("\n")[2]).toBe("    g [chain]");
  });
});
