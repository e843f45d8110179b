/**
 * A run as the sink assembled it from the client's create (`post`) and update (`patch`)
 * operations: the fields LangSmith's ingestion API documents, plus whatever else was sent.
 */
export interface SinkRun {
  id: string;
  name?: string;
  /** `"chain"`, `"llm"`, `"tool"`, … */
  run_type?: string;
  trace_id?: string;
  parent_run_id?: string | null;
  /** Sorts runs of one trace in tree order (parents before children, siblings by start). */
  dotted_order?: string;
  start_time?: string | number;
  end_time?: string | number;
  tags?: string[];
  /** `extra.metadata` holds the run's metadata; `extra.runtime` the SDK's environment. */
  extra?: { metadata?: Record<string, unknown>; [key: string]: unknown };
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: string | null;
  serialized?: unknown;
  events?: unknown[];
  /** The LangSmith project name. */
  session_name?: string;
  /** True once a create operation arrived for the run (an update alone leaves it false). */
  posted: boolean;
  /** True once an update operation (or a create with `end_time`) arrived. */
  ended: boolean;
  [key: string]: unknown;
}

/** One create or update operation for a run. */
export interface RunOperation {
  kind: "post" | "patch";
  /** The operation's fields, with `inputs`/`outputs`/`extra`/… parts already folded in. */
  fields: Record<string, unknown>;
}

/**
 * Folds one operation into the run it belongs to (or a new run). Updates override the fields
 * they carry; `extra.metadata` is merged key by key, because updates re-send metadata.
 * Operations may arrive in any order: a patch seen before its post is kept and completed later.
 */
export function applyRunOperation(run: SinkRun | undefined, operation: RunOperation): SinkRun {
  const id = String(operation.fields.id);
  const base: SinkRun = run ?? { id, posted: false, ended: false };
  // A create that arrives after its update only fills the fields the update left unset.
  const fillOnly = operation.kind === "post" && base.ended;
  const merged: SinkRun = { ...base };
  for (const [key, value] of Object.entries(operation.fields)) {
    if (value === undefined) continue;
    if (key === "extra" && typeof value === "object" && value !== null) {
      const extra = value as NonNullable<SinkRun["extra"]>;
      const [older, newer] = fillOnly ? [extra, base.extra] : [base.extra, extra];
      merged.extra = { ...older, ...newer, metadata: { ...older?.metadata, ...newer?.metadata } };
    } else if (!fillOnly || merged[key] === undefined) {
      merged[key] = value;
    }
  }
  merged.id = id;
  if (operation.kind === "post") merged.posted = true;
  if (operation.kind === "patch" || operation.fields.end_time != null) merged.ended = true;
  return merged;
}

/** The metadata of a run (`extra.metadata`), or `{}`. */
export function runMetadata(run: SinkRun): Record<string, unknown> {
  return run.extra?.metadata ?? {};
}
