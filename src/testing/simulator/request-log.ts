import type { IncomingHttpHeaders } from "node:http";
import type { Fault } from "./fault-script.js";

/**
 * One request as the simulator received and answered it. Entries are live: the simulator
 * updates `status`, `finishedAt`, `aborted` and `completionTokens` while the request runs.
 */
export interface SimulatorRequestLogEntry {
  /** `req_<n>`, also sent back as the `x-request-id` header. */
  id: string;
  /** HTTP method. */
  method: string;
  /** URL path, without the query string (`/v1/chat/completions`). */
  path: string;
  /** The `model` field of a chat request. */
  model?: string;
  /** The parsed JSON body, when the body was a JSON object. */
  body?: Record<string, any>;
  /** The raw body text, kept only when it was not a JSON object. */
  rawBody?: string;
  /** Whether the request asked for a stream (`stream: true`). */
  stream: boolean;
  /** When the request arrived (`Date.now()`). */
  receivedAt: number;
  /** When the response ended or the connection closed (`Date.now()`). */
  finishedAt?: number;
  /** HTTP status sent; unset while no response has started (for example a `hang`). */
  status?: number;
  /** True when the connection closed before the response was complete. */
  aborted: boolean;
  /** Request headers, without `authorization`. */
  headers: Record<string, string | string[]>;
  /** 0-based per-model call index of a chat request. */
  callIndex?: number;
  /** The fault injected into this call, if any. */
  fault?: Fault;
  /** Prompt size in whitespace tokens. */
  promptTokens?: number;
  /** Completion tokens sent so far (streams) or in the answer. */
  completionTokens?: number;
}

/** Selects log entries; every given field must match. */
export interface SimulatorRequestFilter {
  /** The `model` of a chat request. */
  model?: string;
  /** The URL path, e.g. `/v1/chat/completions`. */
  path?: string;
  /** Whether the connection closed before the response was complete. */
  aborted?: boolean;
  /** The HTTP status sent. */
  status?: number;
}

/**
 * True when `entry` matches every field of `filter`.
 */
export function matchesRequestFilter(
  entry: SimulatorRequestLogEntry,
  filter: SimulatorRequestFilter = {},
): boolean {
  return (
    (filter.model === undefined || entry.model === filter.model) &&
    (filter.path === undefined || entry.path === filter.path) &&
    (filter.aborted === undefined || entry.aborted === filter.aborted) &&
    (filter.status === undefined || entry.status === filter.status)
  );
}

/**
 * Copies request headers for the log, leaving out `authorization` so API keys never end up in
 * test output or benchmark files.
 */
export function headersForLog(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const copy: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === "authorization" || value === undefined) continue;
    copy[name] = value;
  }
  return copy;
}
