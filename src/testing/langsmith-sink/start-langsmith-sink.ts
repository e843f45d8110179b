import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";
import { checkLoopbackAddress, closeServer, listenOnLoopback } from "../loopback-server.js";
import { multipartBoundary, parseMultipart } from "./parse-multipart.js";
import { applyRunOperation, type RunOperation, type SinkRun } from "./sink-run.js";

/** Options of {@link startLangSmithSink}. */
export interface LangSmithSinkOptions {
  /** Port to listen on. @default 0 (a free port) */
  port?: number;
  /** Only loopback is allowed. @default "127.0.0.1" */
  host?: string;
  /**
   * When set, requests must carry this key in `x-api-key` (as the LangSmith client sends it);
   * others get 401. @default undefined (any key, or none, is accepted)
   */
  apiKey?: string;
  /**
   * Whether `/info` tells the client to use `/runs/multipart` (the client's default path) or
   * the older JSON `/runs/batch` endpoint. @default true
   */
  multipart?: boolean;
  /**
   * Whether `/info` announces gzip support, so the client gzips its run batches (as against
   * LangSmith itself). The sink decodes them either way. @default false
   */
  gzip?: boolean;
}

/** One HTTP request the sink received. */
export interface LangSmithSinkRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Request headers as received (including `x-api-key`). */
  headers: Record<string, string | string[] | undefined>;
  /** The body as text, after undoing any `Content-Encoding`. */
  body: string;
  /** HTTP status the sink answered with. */
  status: number;
}

/** A running LangSmith sink. */
export interface LangSmithSink {
  /** Base URL to use as `LANGSMITH_ENDPOINT` or `new Client({ apiUrl })`. */
  url: string;
  /** Every request, in arrival order. */
  readonly requests: readonly LangSmithSinkRequest[];
  /** Every run, assembled from its create and update operations, in first-seen order. */
  readonly runs: readonly SinkRun[];
  /** All request bodies joined: what to scan for secrets that must never be sent. */
  payloadText(): string;
  /**
   * Resolves once `predicate(runs)` holds, polling every 25 ms; rejects after `timeoutMs`
   * (default 15 s) with the number of runs seen so far.
   */
  waitFor(predicate: (runs: readonly SinkRun[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Forgets every request and run. */
  reset(): void;
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

// What LangSmith's `/info` returns, minus what the sink does not implement (zstd, feature flags).
function serverInfo(multipart: boolean, gzip: boolean) {
  return {
    version: "0.10.0",
    license_expiration_time: null,
    batch_ingest_config: {
      use_multipart_endpoint: multipart,
      scale_up_qsize_trigger: 1000,
      scale_up_nthreads_limit: 16,
      scale_down_nempty_trigger: 4,
      size_limit: 100,
      size_limit_bytes: 20_971_520,
    },
    instance_flags: gzip ? { gzip_body_enabled: true } : {},
  };
}

const RUN_FIELD_PARTS = new Set(["inputs", "outputs", "events", "extra", "error", "serialized"]);

/**
 * Starts a loopback stand-in for the LangSmith API that records what tracing sends: it answers
 * the client's `GET /info`, accepts run ingestion (`POST /runs/multipart`, `POST /runs/batch`,
 * `POST /runs`, `PATCH /runs/:id`) and assembles the runs, so tests can assert the trace tree,
 * run names, tags and metadata — and that no secret leaves the process. Everything else gets a
 * 404 and is recorded.
 *
 * Point tracing at it with `LANGSMITH_TRACING=true LANGSMITH_ENDPOINT=<sink.url>
 * LANGSMITH_API_KEY=<any>`, or pass `new Client({ apiUrl: sink.url, apiKey })` to a
 * `LangChainTracer`. Flush (`awaitAllCallbacks()`) before reading `runs`, and turn tracing off
 * before `close()` so nothing keeps retrying a closed port.
 *
 * @example
 * ```ts
 * const sink = await startLangSmithSink();
 * process.env.LANGSMITH_TRACING = "true";
 * process.env.LANGSMITH_ENDPOINT = sink.url;
 * process.env.LANGSMITH_API_KEY = "lsv2-test";
 * await graph.invoke(input);
 * await awaitAllCallbacks();
 * console.log(formatRunTree(buildRunTree(sink.runs)));
 * process.env.LANGSMITH_TRACING = "false";
 * await sink.close();
 * ```
 */
export async function startLangSmithSink(
  options: LangSmithSinkOptions = {},
): Promise<LangSmithSink> {
  const address = checkLoopbackAddress(options, "the sink");
  const multipart = options.multipart ?? true;

  let requests: LangSmithSinkRequest[] = [];
  let runs = new Map<string, SinkRun>();
  let closing: Promise<void> | undefined;

  const apply = (operation: RunOperation) => {
    const id = operation.fields.id;
    if (typeof id !== "string" || id === "") return;
    runs.set(id, applyRunOperation(runs.get(id), operation));
  };

  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const method = request.method ?? "GET";
    const entry: LangSmithSinkRequest = {
      method,
      path,
      headers: { ...request.headers },
      body: "",
      status: 0,
    };
    requests.push(entry);
    const send = (status: number, body: unknown) => {
      entry.status = status;
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    try {
      const raw = await readBody(request);
      const encoding = String(request.headers["content-encoding"] ?? "").toLowerCase();
      let body: Buffer;
      if (encoding === "" || encoding === "identity") body = raw;
      else if (encoding === "gzip") body = gunzipSync(raw);
      else if (encoding === "deflate") body = inflateSync(raw);
      else {
        send(415, { detail: `Unsupported Content-Encoding ${encoding}` });
        return;
      }
      entry.body = body.toString("utf8");

      if (options.apiKey !== undefined && request.headers["x-api-key"] !== options.apiKey) {
        send(401, { detail: "Invalid API key" });
        return;
      }
      if (method === "GET" && path === "/info") {
        send(200, serverInfo(multipart, options.gzip ?? false));
        return;
      }
      if (method === "POST" && path === "/runs/multipart") {
        const boundary = multipartBoundary(request.headers["content-type"]);
        if (boundary === undefined) {
          send(400, { detail: "Expected multipart/form-data with a boundary" });
          return;
        }
        for (const operation of multipartOperations(parseMultipart(body, boundary)))
          apply(operation);
        send(202, {});
        return;
      }
      if (method === "POST" && path === "/runs/batch") {
        const batch = JSON.parse(entry.body) as { post?: unknown[]; patch?: unknown[] };
        for (const fields of batch.post ?? [])
          apply({ kind: "post", fields: fields as Record<string, unknown> });
        for (const fields of batch.patch ?? [])
          apply({ kind: "patch", fields: fields as Record<string, unknown> });
        send(202, {});
        return;
      }
      if (method === "POST" && path === "/runs") {
        apply({ kind: "post", fields: JSON.parse(entry.body) as Record<string, unknown> });
        send(202, {});
        return;
      }
      const patchMatch = /^\/runs\/([^/]+)$/.exec(path);
      if (method === "PATCH" && patchMatch) {
        const fields = JSON.parse(entry.body) as Record<string, unknown>;
        apply({ kind: "patch", fields: { ...fields, id: decodeURIComponent(patchMatch[1]!) } });
        send(202, {});
        return;
      }
      send(404, { detail: `The LangSmith sink does not implement ${method} ${path}` });
    } catch (error) {
      if (!response.headersSent) send(400, { detail: `Bad request: ${String(error)}` });
      else response.destroy();
    }
  }

  const { url } = await listenOnLoopback(server, address);

  return {
    url,
    get requests() {
      return requests;
    },
    get runs() {
      return [...runs.values()];
    },
    payloadText() {
      return requests.map((request) => request.body).join("\n");
    },
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate([...runs.values()])) {
        if (Date.now() > deadline) {
          throw new Error(
            `The LangSmith sink did not see the expected runs within ${timeoutMs} ms (${runs.size} run(s), ${requests.length} request(s) so far).`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    reset() {
      requests = [];
      runs = new Map();
    },
    close() {
      closing ??= closeServer(server);
      return closing;
    },
  };
}

/**
 * Groups multipart parts into run operations: `post.<id>` / `patch.<id>` carry the run, and
 * `post.<id>.inputs` (`outputs`, `extra`, `events`, `error`, `serialized`) carry its large
 * fields separately. Attachments and feedback parts are ignored.
 */
function multipartOperations(parts: ReturnType<typeof parseMultipart>): RunOperation[] {
  const operations = new Map<string, RunOperation>();
  const operation = (kind: "post" | "patch", id: string) => {
    const key = `${kind}.${id}`;
    let found = operations.get(key);
    if (found === undefined) {
      found = { kind, fields: { id } };
      operations.set(key, found);
    }
    return found;
  };
  for (const part of parts) {
    const [kind, id, field, ...rest] = part.name.split(".");
    if ((kind !== "post" && kind !== "patch") || !id || rest.length > 0) continue;
    const value = JSON.parse(part.data.toString("utf8")) as unknown;
    const target = operation(kind, id);
    if (field === undefined) Object.assign(target.fields, value as Record<string, unknown>, { id });
    else if (RUN_FIELD_PARTS.has(field)) target.fields[field] = value;
  }
  return [...operations.values()];
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
