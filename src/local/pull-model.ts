/**
 * Downloads GGUF files from a Hugging Face–style hub into the model cache, resumably and
 * verified.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { mkdir, open, rename, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { checkTimerDelay } from "../utils/timer-delay.js";
import { ModelDownloadError } from "./model-download-error.js";

/** The public hub; `MOA_HUB_URL` overrides it in the CLI. */
export const DEFAULT_HUB_URL = "https://huggingface.co";
/** Abort a download when no byte arrives for this long. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 10;

/** A file on the hub: `<owner>/<repo>/<path/in/repo.gguf>`. */
export interface HubReference {
  owner: string;
  repository: string;
  /** Path of the file inside the repository (may contain folders). */
  file: string;
}

/** Progress of a download, reported for every chunk received. */
export interface PullProgress {
  /** Bytes of the file on disk so far, resumed ones included. */
  receivedBytes: number;
  /** Size of the file, when the server says. */
  totalBytes?: number;
  /** Bytes that were already on disk from an earlier attempt. */
  resumedFromBytes: number;
}

/** Parameters of {@link pullModel}. */
export interface PullModelParams {
  /** The file to fetch. @example "Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf" */
  reference: string;
  /** The model cache; the file lands in `<directory>/<owner>/<repo>/<file>`. */
  directory: string;
  /** Base URL of the hub; files are at `<hubUrl>/<owner>/<repo>/resolve/<revision>/<file>`. @default "https://huggingface.co" */
  hubUrl?: string;
  /** Branch, tag or commit. @default "main" */
  revision?: string;
  /**
   * Expected SHA-256 (hex). @default the hub's `X-Linked-Etag` (or a SHA-256 `ETag`), which
   * Hugging Face sends for files stored in LFS; without either the file is kept unverified.
   */
  sha256?: string;
  /** Bearer token for gated or private repositories, sent to the hub only (never to its CDN). */
  token?: string;
  /** Download again even when the file is already cached. @default false */
  force?: boolean;
  /** Give up when no byte arrives for this long; at most 2147483647 (`MAX_TIMER_DELAY_MS`). @default 60000 */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
}

/** The outcome of {@link pullModel}. */
export interface PulledModel {
  /** The name to use after `local:`: `<owner>/<repo>/<file>` without `.gguf`. */
  name: string;
  path: string;
  sizeBytes: number;
  /** SHA-256 of the file on disk (hex). */
  sha256: string;
  /** Where the expected checksum came from; `undefined` when none was known. */
  verifiedAgainst?: "flag" | "server";
  /** Bytes reused from an earlier, interrupted attempt. */
  resumedFromBytes: number;
  /** `false` when the file was already cached and nothing was fetched. */
  downloaded: boolean;
}

/**
 * Splits `<owner>/<repo>/<file>` and checks it names a GGUF file.
 *
 * @example
 * ```ts
 * parseHubReference("TheBloke/Llama-2-7B-GGUF/llama-2-7b.Q4_K_M.gguf");
 * // { owner: "TheBloke", repository: "Llama-2-7B-GGUF", file: "llama-2-7b.Q4_K_M.gguf" }
 * ```
 */
export function parseHubReference(reference: string): HubReference {
  const parts = reference.trim().split("/");
  const invalid = (message: string) =>
    new InvalidArgumentError({ parameter: "reference", value: reference, message });
  if (parts.length < 3 || parts.some((part) => part === "" || part === "." || part === "..")) {
    throw invalid(
      'write the file as "<owner>/<repo>/<file>.gguf", e.g. "Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf".',
    );
  }
  const [owner, repository, ...file] = parts;
  if (!file.at(-1)!.toLowerCase().endsWith(".gguf")) {
    throw invalid(
      "the embedded engine runs GGUF files: name one file ending in .gguf (the repository's file list shows them).",
    );
  }
  return { owner: owner!, repository: repository!, file: file.join("/") };
}

/** The download URL of a hub file. */
export function hubFileUrl(hubUrl: string, reference: HubReference, revision = "main"): string {
  const base = hubUrl.replace(/\/+$/, "");
  const path = [
    reference.owner,
    reference.repository,
    "resolve",
    revision,
    ...reference.file.split("/"),
  ]
    .map(encodeURIComponent)
    .join("/");
  return `${base}/${path}`;
}

/**
 * Downloads a GGUF file into the cache. An interrupted download leaves
 * `<file>.gguf.partial`, and the next call resumes it with an HTTP `Range` request. The finished
 * file's SHA-256 is checked against `sha256` or the hub's `X-Linked-Etag` before it is moved
 * into place; a mismatch deletes the bytes and throws.
 *
 * Throws {@link ModelDownloadError} (`not-found`, `unauthorized`, `http`, `network`,
 * `incomplete`, `checksum`) or the abort reason of `signal`.
 *
 * @example
 * ```ts
 * const pulled = await pullModel({
 *   reference: "Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf",
 *   directory: modelsDirectory(process.env),
 *   onProgress: ({ receivedBytes, totalBytes }) => console.log(receivedBytes, totalBytes),
 * });
 * loadChatModel(`local:${pulled.name}`);
 * ```
 */
export async function pullModel(params: PullModelParams): Promise<PulledModel> {
  const reference = parseHubReference(params.reference);
  const expected = checkSha256(params.sha256);
  if (params.idleTimeoutMs !== undefined) {
    checkTimerDelay(
      params.idleTimeoutMs,
      "idleTimeoutMs",
      "milliseconds without a byte before giving up",
    );
  }
  const fetch = params.fetch ?? globalThis.fetch;
  const hubUrl = params.hubUrl ?? DEFAULT_HUB_URL;
  const url = hubFileUrl(hubUrl, reference, params.revision);
  const name = `${reference.owner}/${reference.repository}/${reference.file.replace(/\.gguf$/i, "")}`;
  const path = join(
    params.directory,
    reference.owner,
    reference.repository,
    ...reference.file.split("/"),
  );
  const partial = `${path}.partial`;

  if (!params.force && existsSync(path)) {
    const sha256 = await hashFile(path);
    if (expected !== undefined && sha256 !== expected) {
      throw new ModelDownloadError({
        url,
        reason: "checksum",
        message: `${path} is cached but its SHA-256 is ${sha256}, not ${expected}. Pull it again with \`--force\`.`,
      });
    }
    return {
      name,
      path,
      sizeBytes: statSync(path).size,
      sha256,
      verifiedAgainst: expected !== undefined ? "flag" : undefined,
      resumedFromBytes: 0,
      downloaded: false,
    };
  }
  await mkdir(dirname(path), { recursive: true });
  if (params.force && existsSync(partial)) await unlink(partial);

  let offset = existsSync(partial) ? statSync(partial).size : 0;
  let response = await request(fetch, url, hubUrl, offset, params);
  if (response.status === 416) {
    // The partial file is as long as (or longer than) the file: check it, or start over.
    const total = contentRangeTotal(response.headers.get("content-range"));
    await response.body.cancel();
    if (total === undefined || total !== offset) {
      await unlink(partial);
      offset = 0;
      response = await request(fetch, url, hubUrl, offset, params);
      if (response.status === 416) {
        await response.body.cancel();
        throw httpError(url, 416);
      }
    }
  }
  const resumedFromBytes = response.status === 206 || response.status === 416 ? offset : 0;
  let totalBytes = offset;
  if (response.status !== 416) {
    if (response.status === 200) offset = 0; // the server ignored the range: start over
    if (response.status === 206) {
      const start = contentRangeStart(response.headers.get("content-range"));
      if (start !== offset) {
        await response.body.cancel();
        throw new ModelDownloadError({
          url,
          reason: "http",
          status: 206,
          message: `the server resumed at byte ${start ?? "?"} instead of ${offset}; delete ${partial} and pull again.`,
        });
      }
    }
    totalBytes =
      contentRangeTotal(response.headers.get("content-range")) ??
      numberHeader(response.headers.get("content-length"), offset) ??
      numberHeader(response.linkedSize) ??
      Number.NaN;
    await receive(response, partial, offset, Number.isNaN(totalBytes) ? undefined : totalBytes, {
      url,
      resumedFromBytes,
      ...params,
    });
  }
  const sizeBytes = statSync(partial).size;
  if (!Number.isNaN(totalBytes) && sizeBytes !== totalBytes) {
    throw new ModelDownloadError({
      url,
      reason: "incomplete",
      keptBytes: sizeBytes,
      message: `the download stopped at ${sizeBytes} of ${totalBytes} bytes. Run the same pull again to resume.`,
    });
  }
  const serverSha256 = etagSha256(response.linkedEtag) ?? etagSha256(response.headers.get("etag"));
  const want = expected ?? serverSha256;
  const sha256 = await hashFile(partial);
  if (want !== undefined && sha256 !== want) {
    await unlink(partial);
    throw new ModelDownloadError({
      url,
      reason: "checksum",
      message: `the downloaded file's SHA-256 is ${sha256}, but ${
        expected !== undefined ? "`--sha256`" : "the hub"
      } says ${want}. The bytes were deleted; pull again (and check the checksum you passed).`,
    });
  }
  await rename(partial, path);
  return {
    name,
    path,
    sizeBytes,
    sha256,
    verifiedAgainst: expected !== undefined ? "flag" : want !== undefined ? "server" : undefined,
    resumedFromBytes,
    downloaded: true,
  };
}

interface HubResponse {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array>;
  /** `X-Linked-Etag` / `X-Linked-Size` of the hub's redirect (Hugging Face LFS files). */
  linkedEtag: string | null;
  linkedSize: string | null;
}

/** GET with redirects followed by hand, to keep the hub's `X-Linked-*` headers. */
async function request(
  fetch: typeof globalThis.fetch,
  url: string,
  hubUrl: string,
  offset: number,
  params: PullModelParams,
): Promise<HubResponse> {
  let current = url;
  let linkedEtag: string | null = null;
  let linkedSize: string | null = null;
  const hubOrigin = new URL(hubUrl).origin;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = { "user-agent": "langgraph-moa" };
    if (offset > 0) headers.range = `bytes=${offset}-`;
    if (params.token && new URL(current).origin === hubOrigin) {
      headers.authorization = `Bearer ${params.token}`;
    }
    let response: Response;
    try {
      response = await fetch(current, {
        headers,
        redirect: "manual",
        signal: params.signal,
      });
    } catch (error) {
      params.signal?.throwIfAborted();
      throw new ModelDownloadError({
        url,
        reason: "network",
        keptBytes: offset,
        message: `cannot reach ${new URL(current).origin} (${describe(error)}). Check the connection${
          hubUrl === DEFAULT_HUB_URL ? "" : " and MOA_HUB_URL"
        }; a later pull resumes from byte ${offset}.`,
        cause: error,
      });
    }
    linkedEtag ??= response.headers.get("x-linked-etag");
    linkedSize ??= response.headers.get("x-linked-size");
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    if (response.status === 200 || response.status === 206 || response.status === 416) {
      return {
        status: response.status,
        headers: response.headers,
        body: response.body ?? new ReadableStream(),
        linkedEtag,
        linkedSize,
      };
    }
    await response.body?.cancel();
    throw httpError(url, response.status);
  }
  throw new ModelDownloadError({
    url,
    reason: "http",
    message: `more than ${MAX_REDIRECTS} redirects fetching ${url}.`,
  });
}

/** Appends the body to `partial`, reporting progress, with an idle timeout. */
async function receive(
  response: HubResponse,
  partial: string,
  offset: number,
  totalBytes: number | undefined,
  context: PullModelParams & { url: string; resumedFromBytes: number },
): Promise<void> {
  const file = await open(partial, offset > 0 ? "a" : "w");
  let received = offset;
  const idleMs = context.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const idle = new AbortController();
  let timer = setTimeout(() => idle.abort(), idleMs);
  const onAbort = () => idle.abort();
  context.signal?.addEventListener("abort", onAbort, { once: true });
  const reader = response.body.getReader();
  idle.signal.addEventListener("abort", () => void reader.cancel().catch(() => undefined), {
    once: true,
  });
  try {
    context.onProgress?.({
      receivedBytes: received,
      totalBytes,
      resumedFromBytes: context.resumedFromBytes,
    });
    for (;;) {
      const { done, value } = await reader.read();
      if (idle.signal.aborted) break;
      if (done) break;
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), idleMs);
      await file.write(value);
      received += value.byteLength;
      context.onProgress?.({
        receivedBytes: received,
        totalBytes,
        resumedFromBytes: context.resumedFromBytes,
      });
    }
  } catch (error) {
    context.signal?.throwIfAborted();
    throw new ModelDownloadError({
      url: context.url,
      reason: "network",
      keptBytes: received,
      message: `the connection broke after ${received} bytes (${describe(error)}). Run the same pull again to resume.`,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    context.signal?.removeEventListener("abort", onAbort);
    await file.close();
  }
  context.signal?.throwIfAborted();
  if (idle.signal.aborted) {
    throw new ModelDownloadError({
      url: context.url,
      reason: "network",
      keptBytes: received,
      message: `no data for ${idleMs} ms after ${received} bytes. Run the same pull again to resume.`,
    });
  }
}

function httpError(url: string, status: number): ModelDownloadError {
  if (status === 401 || status === 403) {
    return new ModelDownloadError({
      url,
      status,
      reason: "unauthorized",
      message: `${url} answered ${status}: the repository is gated or private. Accept its terms on the hub and set HF_TOKEN to an access token.`,
    });
  }
  if (status === 404) {
    return new ModelDownloadError({
      url,
      status,
      reason: "not-found",
      message: `${url} does not exist (404). Check the owner, repository and file name in the repository's file list.`,
    });
  }
  return new ModelDownloadError({
    url,
    status,
    reason: "http",
    message: `${url} answered ${status}. Try again later.`,
  });
}

function checkSha256(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const normalized = value.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(normalized)) {
    throw new InvalidArgumentError({
      parameter: "sha256",
      value,
      message: "`sha256` must be 64 hexadecimal characters (the file's SHA-256).",
    });
  }
  return normalized;
}

/** A SHA-256 carried by an ETag (`"<hex>"` or `W/"<hex>"`), if it is one. */
export function etagSha256(etag: string | null | undefined): string | undefined {
  if (!etag) return undefined;
  const value = etag.trim().replace(/^W\//, "").replace(/^"|"$/g, "").toLowerCase();
  return /^[0-9a-f]{64}$/.test(value) ? value : undefined;
}

function contentRangeStart(header: string | null): number | undefined {
  const match = header?.match(/^bytes (\d+)-\d+\/(?:\d+|\*)$/);
  return match ? Number(match[1]) : undefined;
}

function contentRangeTotal(header: string | null): number | undefined {
  const match = header?.match(/^bytes (?:\d+-\d+|\*)\/(\d+)$/);
  return match ? Number(match[1]) : undefined;
}

function numberHeader(header: string | null, add = 0): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header) + add;
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
