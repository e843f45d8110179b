import type { RunnableConfig } from "@langchain/core/runnables";

/** The part a MoA model call plays, as shown in metadata, tags and run names. */
export type MoaRole = "proposer" | "aggregator" | "ranker";

/** Metadata attached to every model call of a MoA graph (stream metadata and traces). */
export interface MoaCallMetadata {
  moa_role: MoaRole;
  /** 1-based proposer layer; the final node reports `layers` (it is the last layer). */
  moa_layer: number;
  moa_proposer_id: string;
  moa_sample: number;
}

/** Tag that keeps a call's tokens out of `streamMode: "messages"` (LangGraph's convention). */
const NO_STREAM_TAG = "langsmith:nostream";

/**
 * The config for one model call inside a node: the node's config (so callbacks, the abort
 * signal and stream handlers nest correctly) plus MoA metadata, tags and a readable run name.
 *
 * This is what makes a MoA trace readable in LangSmith. LangGraph runs every `Send` branch as a
 * sibling task of the graph run, so a layer has no run of its own to nest its calls under;
 * instead every model call is its own run, and carries its layer:
 *
 * - run name: `layer 2 · qwen #1` for proposer calls, `aggregator · qwen` / `ranker · qwen`
 *   for the final call;
 * - tags: `moa:<role>`, `moa:layer:<n>`, `moa:proposer:<id>`, `moa:sample:<k>` (filter a project
 *   by `moa:layer:2` to see one layer);
 * - metadata: `moa_role`, `moa_layer`, `moa_proposer_id`, `moa_sample` (also on
 *   `streamMode: "messages"` chunks);
 * - token usage: the chat model's own `usage_metadata` on the run's output.
 */
export function modelCallConfig(
  config: RunnableConfig,
  call: MoaCallMetadata,
  options: { stream: boolean; signal?: AbortSignal },
): RunnableConfig {
  const tags = [
    ...(config.tags ?? []),
    `moa:${call.moa_role}`,
    `moa:layer:${call.moa_layer}`,
    `moa:proposer:${call.moa_proposer_id}`,
    `moa:sample:${call.moa_sample}`,
  ];
  if (!options.stream) tags.push(NO_STREAM_TAG);
  return {
    ...config,
    runName: modelCallRunName(call),
    tags,
    metadata: { ...config.metadata, ...call },
    signal: options.signal ?? config.signal,
  };
}

/**
 * The trace name of a MoA model call: `layer 2 · qwen #1` for a proposer (layer, proposer id,
 * sample), `aggregator · qwen` or `ranker · qwen` for the final call.
 *
 * @example
 * ```ts
 * modelCallRunName({ moa_role: "proposer", moa_layer: 1, moa_proposer_id: "qwen", moa_sample: 0 }); // "layer 1 · qwen #0"
 * ```
 */
export function modelCallRunName(call: MoaCallMetadata): string {
  return call.moa_role === "proposer"
    ? `layer ${call.moa_layer} · ${call.moa_proposer_id} #${call.moa_sample}`
    : `${call.moa_role} · ${call.moa_proposer_id}`;
}
