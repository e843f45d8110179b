import { performance } from "node:perf_hooks";

/** Timings of one bare HTTP call, from the request until … */
export interface RawCallTiming {
  /** … the first byte of generated text (streamed calls; else the whole body). */
  firstContentMs: number;
  /** … the end of the response body. */
  totalMs: number;
}

/**
 * One chat-completions request with bare `fetch` and no client library: the floor any client
 * pays for a call to the simulator (server work, loopback, timer slack). Used to calibrate the
 * ideal of the latency benchmarks to what a zero-overhead client would see on this machine.
 */
export async function rawChatCall(
  simulatorUrl: string,
  model: string,
  userText: string,
  stream = false,
): Promise<RawCallTiming> {
  const started = performance.now();
  const response = await fetch(`${simulatorUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-bench-loopback" },
    body: JSON.stringify({ model, stream, messages: [{ role: "user", content: userText }] }),
  });
  if (!response.ok || !response.body) throw new Error(`simulator answered ${response.status}`);
  let firstContentMs: number | undefined;
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    // The first SSE event only carries the role; generated text starts with `"content":"<x>`.
    if (
      firstContentMs === undefined &&
      (!stream || /"content":"[^"]/.test(decoder.decode(chunk)))
    ) {
      firstContentMs = performance.now() - started;
    }
  }
  const totalMs = performance.now() - started;
  return { firstContentMs: firstContentMs ?? totalMs, totalMs };
}

/** `count` bare calls at once (one per model); resolves when the slowest has finished. */
export async function rawParallelCalls(
  simulatorUrl: string,
  models: readonly string[],
  userText: string,
  stream = false,
): Promise<number> {
  const started = performance.now();
  await Promise.all(models.map((model) => rawChatCall(simulatorUrl, model, userText, stream)));
  return performance.now() - started;
}
