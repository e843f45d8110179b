import type { Client } from "@langchain/langgraph-sdk";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors/index.js";
import { runBatchOnServer } from "../../../src/remote/run-batch-on-server.js";

type Input = { n: number; delayMs?: number; fail?: "throw" | "server" };

/** A stand-in for the SDK client: `runs.wait` answers after `delayMs`, tracking concurrency. */
function fakeClient() {
  const calls: Array<{ threadId: unknown; assistantId: string; payload: Record<string, any> }> = [];
  let active = 0;
  let peak = 0;
  const client = {
    runs: {
      async wait(threadId: unknown, assistantId: string, payload: Record<string, any>) {
        calls.push({ threadId, assistantId, payload });
        active += 1;
        peak = Math.max(peak, active);
        try {
          const input = payload.input as Input;
          payload.onRunCreated?.({ run_id: `run-${input.n}` });
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(resolve, input.delayMs ?? 5);
            payload.signal?.addEventListener("abort", () => {
              clearTimeout(timer);
              reject(new DOMException("This operation was aborted", "AbortError"));
            });
          });
          if (input.fail === "throw")
            throw new Error("HTTP 500: Bearer sk-secretsecret123 rejected");
          if (input.fail === "server") {
            return {
              __error__: {
                error: "Error",
                message: '{"error":"InvalidConfigError","message":"Invalid context"}',
              },
            };
          }
          return { answer: input.n * 10 };
        } finally {
          active -= 1;
        }
      },
    },
  };
  return { client: client as unknown as Client, calls, peak: () => peak };
}

describe("runBatchOnServer", () => {
  it("returns results in input order whatever order they finish in, within the concurrency bound", async () => {
    const fake = fakeClient();
    const delays = [40, 5, 25, 1, 15, 5, 30];
    const finished: number[] = [];
    const results = await runBatchOnServer<Input, { answer: number }>({
      client: fake.client,
      inputs: delays.map((delayMs, n) => ({ n, delayMs })),
      concurrency: 3,
      context: { preset: "moa-lite" },
      onResult: (result) => void finished.push(result.index),
    });
    expect(
      results.map((result) => (result.status === "ok" ? result.output.answer : result.status)),
    ).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(results.map((result) => result.runId)).toEqual(delays.map((_, n) => `run-${n}`));
    expect(fake.peak()).toBe(3);
    expect(finished).not.toEqual([0, 1, 2, 3, 4, 5, 6]); // completion order, not input order
    expect(finished.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const call of fake.calls) {
      expect(call).toMatchObject({
        threadId: null,
        assistantId: "moa",
        payload: { context: { preset: "moa-lite" }, raiseError: false, onDisconnect: "cancel" },
      });
    }
  });

  it("records client and server failures per item, credential-free, without stopping the others", async () => {
    const results = await runBatchOnServer<Input>({
      client: fakeClient().client,
      inputs: [{ n: 0 }, { n: 1, fail: "throw" }, { n: 2, fail: "server" }, { n: 3 }],
    });
    expect(results.map((result) => result.status)).toEqual(["ok", "error", "error", "ok"]);
    expect(results[1]).toMatchObject({ error: "HTTP 500: Bearer *** rejected" });
    expect(results[2]).toMatchObject({ error: "InvalidConfigError: Invalid context" });
  });

  it("times out a slow item and marks the rest cancelled when the signal aborts", async () => {
    const slow = await runBatchOnServer<Input>({
      client: fakeClient().client,
      inputs: [{ n: 0, delayMs: 1_000 }],
      timeoutMs: 20,
    });
    expect(slow[0]).toMatchObject({
      status: "error",
      error: "timed out after 20 ms (raise `timeoutMs`)",
    });

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const results = await runBatchOnServer<Input>({
      client: fakeClient().client,
      inputs: [{ n: 0, delayMs: 1 }, { n: 1, delayMs: 1_000 }, { n: 2, delayMs: 1_000 }, { n: 3 }],
      concurrency: 2,
      signal: controller.signal,
    });
    expect(results.map((result) => result.status)).toEqual([
      "ok",
      "cancelled",
      "cancelled",
      "cancelled",
    ]);
  });

  it("rejects with the onResult error after the runs in flight settle", async () => {
    const fake = fakeClient();
    await expect(
      runBatchOnServer<Input>({
        client: fake.client,
        inputs: [{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }],
        concurrency: 1,
        onResult: () => {
          throw new Error("disk full");
        },
      }),
    ).rejects.toThrow("disk full");
    expect(fake.calls).toHaveLength(1);
  });

  it.each([
    [{ url: "not a url", inputs: [] }, "url"],
    [{ url: "ftp://x", inputs: [] }, "url"],
    [{ url: "http://127.0.0.1:1", inputs: "x" }, "inputs"],
    [{ url: "http://127.0.0.1:1", inputs: [], concurrency: 0 }, "concurrency"],
    [{ url: "http://127.0.0.1:1", inputs: [], timeoutMs: -1 }, "timeoutMs"],
    [{ url: "http://127.0.0.1:1", inputs: [], timeoutMs: 2 ** 31 }, "timeoutMs"],
    [{ url: "http://127.0.0.1:1", inputs: [], assistantId: " " }, "assistantId"],
  ])("rejects %j before any request, naming `%s`", async (params, parameter) => {
    const error = await runBatchOnServer(params as never).catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).parameter).toBe(parameter);
  });

  it("returns an empty list for no inputs", async () => {
    expect(await runBatchOnServer({ client: fakeClient().client, inputs: [] })).toEqual([]);
  });
});
