import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStage, type StageOutcome } from "../../../../src/eval/stages/run-stage.js";
import { createJsonListStore, createJsonlStore } from "../../../../src/eval/stages/stage-store.js";
import type { StageProgress } from "../../../../src/eval/stages/stage-progress.js";
import { readJsonl } from "../../../../src/eval/io/jsonl-file.js";
import { InvalidArgumentError } from "../../../../src/errors/index.js";

interface Item {
  id: number;
}
interface Row {
  id: number;
  value: string;
}

const items: Item[] = Array.from({ length: 10 }, (_, index) => ({ id: index + 1 }));
const base = {
  idOf: (item: Item) => String(item.id),
  recordId: (row: Row) => String(row.id),
  retry: { initialDelayMs: 1, maxDelayMs: 5 },
};

async function tempFile(name: string): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "moa-stage-")), name);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
    this.name = status === 429 ? "RateLimitError" : "APIError";
  }
}

describe("runStage", () => {
  it("runs every instance with bounded concurrency and writes records in input order", async () => {
    const out = await tempFile("rows.jsonl");
    let inFlight = 0;
    let peak = 0;
    const summary = await runStage<Item, Row>({
      ...base,
      stage: "test",
      items,
      store: createJsonlStore(out),
      concurrency: 3,
      execute: async (item) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await delay(20 - item.id); // later items finish first
        inFlight -= 1;
        return { record: { id: item.id, value: `v${item.id}` } };
      },
    });
    expect(peak).toBe(3);
    expect(summary.succeeded).toBe(10);
    expect((await readJsonl<Row>(out)).map((row) => row.id)).toEqual(items.map((item) => item.id));
  });

  it("records failures without losing finished work and retries only them on rerun", async () => {
    const out = await tempFile("rows.jsonl");
    const calls: number[] = [];
    const first = await runStage<Item, Row>({
      ...base,
      stage: "test",
      items,
      store: createJsonlStore(out),
      execute: async (item) => {
        calls.push(item.id);
        if (item.id % 4 === 0) throw new Error(`bad instance ${item.id}`);
        return { record: { id: item.id, value: "ok" } };
      },
    });
    expect(first.succeeded).toBe(8);
    expect(first.failed).toBe(2);
    expect(first.failures.map((failure) => failure.id)).toEqual(["4", "8"]);
    // Non-transient errors are not retried within a run.
    expect(calls.filter((id) => id === 4)).toHaveLength(1);
    expect(
      (await readJsonl<{ id: string; error: string }>(first.failuresPath)).map(
        (failure) => failure.error,
      ),
    ).toEqual(["bad instance 4", "bad instance 8"]);

    calls.length = 0;
    const second = await runStage<Item, Row>({
      ...base,
      stage: "test",
      items,
      store: createJsonlStore(out),
      execute: async (item) => {
        calls.push(item.id);
        return { record: { id: item.id, value: "retried" } };
      },
    });
    expect(calls.sort((a, b) => a - b)).toEqual([4, 8]);
    expect(second.skipped).toBe(8);
    expect(second.failures).toEqual([]);
    await expect(readFile(second.failuresPath, "utf8")).rejects.toThrow();
    const rows = await readJsonl<Row>(out);
    expect(rows.map((row) => row.id)).toEqual(items.map((item) => item.id));
    expect(rows.filter((row) => row.value === "retried").map((row) => row.id)).toEqual([4, 8]);
  });

  it("retries transient failures with backoff inside one run", async () => {
    const out = await tempFile("rows.jsonl");
    const attempts = new Map<number, number>();
    const summary = await runStage<Item, Row>({
      ...base,
      stage: "test",
      items: items.slice(0, 3),
      store: createJsonlStore(out),
      execute: async (item, { attempt }) => {
        attempts.set(item.id, attempt);
        if (item.id === 2 && attempt < 3) throw new HttpError(attempt === 1 ? 429 : 503);
        return { record: { id: item.id, value: "ok" } };
      },
    });
    expect(summary.failed).toBe(0);
    expect(attempts.get(2)).toBe(3);
  });

  it("honours a rate limit's retry-after before the next attempt", async () => {
    const out = await tempFile("rows.jsonl");
    const times: number[] = [];
    await runStage<Item, Row>({
      ...base,
      retry: { initialDelayMs: 1, maxDelayMs: 1000 },
      stage: "test",
      items: items.slice(0, 1),
      store: createJsonlStore(out),
      execute: async (item, { attempt }) => {
        times.push(Date.now());
        if (attempt === 1) throw new HttpError(429, { "retry-after-ms": "60" });
        return { record: { id: item.id, value: "ok" } };
      },
    });
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(55);
  });

  it("gives up after maxAttempts and records the attempts", async () => {
    const out = await tempFile("rows.jsonl");
    const summary = await runStage<Item, Row>({
      ...base,
      retry: { maxAttempts: 2, initialDelayMs: 1 },
      stage: "test",
      items: items.slice(0, 1),
      store: createJsonlStore(out),
      execute: async () => {
        throw new HttpError(500);
      },
    });
    expect(summary.failures).toMatchObject([{ id: "1", attempts: 2, errorName: "APIError" }]);
  });

  it("times out a hung instance and records it", async () => {
    const out = await tempFile("rows.jsonl");
    const summary = await runStage<Item, Row>({
      ...base,
      retry: { maxAttempts: 2, initialDelayMs: 1 },
      timeoutMs: 20,
      stage: "test",
      items: items.slice(0, 1),
      store: createJsonlStore(out),
      execute: (_item, { signal }) =>
        new Promise<StageOutcome<Row>>((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
        }),
    });
    expect(summary.failures).toMatchObject([{ id: "1", attempts: 2 }]);
  });

  it("keeps finished records when the run is aborted, and resumes after them", async () => {
    const out = await tempFile("outputs.json");
    const controller = new AbortController();
    let finished = 0;
    const run = runStage<Item, Row>({
      ...base,
      stage: "test",
      items,
      store: createJsonListStore(out),
      concurrency: 2,
      signal: controller.signal,
      execute: async (item, { signal }) => {
        await delay(5);
        signal.throwIfAborted();
        finished += 1;
        if (finished === 4) controller.abort(new Error("stop"));
        return { record: { id: item.id, value: "first" } };
      },
    });
    await expect(run).rejects.toThrow("stop");
    const saved = JSON.parse(await readFile(out, "utf8")) as Row[];
    expect(saved.length).toBeGreaterThanOrEqual(4);

    const calls: number[] = [];
    const resumed = await runStage<Item, Row>({
      ...base,
      stage: "test",
      items,
      store: createJsonListStore(out),
      execute: async (item) => {
        calls.push(item.id);
        return { record: { id: item.id, value: "second" } };
      },
    });
    expect(calls).toHaveLength(10 - saved.length);
    expect(calls.some((id) => saved.some((row) => row.id === id))).toBe(false);
    expect(resumed.records.map((row) => row.id)).toEqual(items.map((item) => item.id));
    await expect(readFile(`${out}.partial.jsonl`, "utf8")).rejects.toThrow();
  });

  it("tolerates a line cut short by a crash", async () => {
    const out = await tempFile("rows.jsonl");
    await writeFile(out, '{"id":1,"value":"ok"}\n{"id":2,"val');
    const calls: number[] = [];
    const summary = await runStage<Item, Row>({
      ...base,
      stage: "test",
      items: items.slice(0, 3),
      store: createJsonlStore(out),
      execute: async (item) => {
        calls.push(item.id);
        return { record: { id: item.id, value: "ok" } };
      },
    });
    expect(calls).toEqual([2, 3]);
    expect(summary.records).toHaveLength(3);
    expect(await readJsonl(out)).toHaveLength(3);
  });

  it("redoes records that are no longer current", async () => {
    const out = await tempFile("rows.jsonl");
    await writeFile(out, '{"id":1,"value":"stale"}\n{"id":2,"value":"fresh"}\n');
    const calls: number[] = [];
    await runStage<Item, Row>({
      ...base,
      stage: "test",
      items: items.slice(0, 2),
      store: createJsonlStore(out),
      isCurrent: (row) => row.value !== "stale",
      execute: async (item) => {
        calls.push(item.id);
        return { record: { id: item.id, value: "fresh" } };
      },
    });
    expect(calls).toEqual([1]);
    expect(await readJsonl(out)).toEqual([
      { id: 1, value: "fresh" },
      { id: 2, value: "fresh" },
    ]);
  });

  it("limits a smoke run to maxInstances without dropping earlier records", async () => {
    const out = await tempFile("rows.jsonl");
    await runStage<Item, Row>({
      ...base,
      stage: "test",
      items,
      store: createJsonlStore(out),
      execute: async (item) => ({ record: { id: item.id, value: "full" } }),
    });
    const calls: number[] = [];
    const summary = await runStage<Item, Row>({
      ...base,
      stage: "test",
      items,
      maxInstances: 2,
      store: createJsonlStore(out),
      execute: async (item) => {
        calls.push(item.id);
        return { record: { id: item.id, value: "smoke" } };
      },
    });
    expect(calls).toEqual([]);
    expect(summary.total).toBe(2);
    expect(await readJsonl(out)).toHaveLength(10);
  });

  it("reports progress with an ETA, usage and running cost", async () => {
    const out = await tempFile("rows.jsonl");
    const events: StageProgress[] = [];
    await runStage<Item, Row>({
      ...base,
      stage: "progress",
      items: items.slice(0, 4),
      store: createJsonlStore(out),
      concurrency: 2,
      costOf: (usage) => usage.inputTokens * 0.001 + usage.outputTokens * 0.002,
      onProgress: (progress) => events.push(progress),
      execute: async (item) => ({
        record: { id: item.id, value: "ok" },
        usage: { inputTokens: 10, outputTokens: 5 },
        cached: item.id === 4,
      }),
    });
    const last = events.at(-1) as StageProgress;
    expect(last).toMatchObject({
      stage: "progress",
      total: 4,
      succeeded: 4,
      remaining: 0,
      running: 0,
      cached: 1,
      etaMs: 0,
    });
    expect(last.usage).toEqual({ inputTokens: 40, outputTokens: 20 });
    expect(last.costUsd).toBeCloseTo(0.08, 10);
    expect(events.some((event) => event.running === 2)).toBe(true);
    const midway = events.find((event) => event.succeeded === 1);
    expect(midway?.etaMs).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ["concurrency 0", { concurrency: 0 }],
    ["a negative maxInstances", { maxInstances: -1 }],
  ])("rejects %s before doing any work", async (_name, options) => {
    await expect(
      runStage<Item, Row>({
        ...base,
        ...options,
        stage: "test",
        items,
        store: createJsonlStore(await tempFile("rows.jsonl")),
        execute: async () => {
          throw new Error("must not run");
        },
      }),
    ).rejects.toThrow(InvalidArgumentError);
  });

  it("rejects duplicate instance ids", async () => {
    await expect(
      runStage<Item, Row>({
        ...base,
        stage: "test",
        items: [{ id: 1 }, { id: 1 }],
        store: createJsonlStore(await tempFile("rows.jsonl")),
        execute: async (item) => ({ record: { id: item.id, value: "" } }),
      }),
    ).rejects.toThrow(/share the id/);
  });
});
