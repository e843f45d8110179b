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
  ];
  if (!options.stream) tags.push(NO_STREAM_TAG);
  const runName =
    call.moa_role === "proposer"
      ? `layer ${call.moa_layer} · ${call.moa_proposer_id} #${call.moa_sample}`
      : `${call.moa_role} · ${call.moa_proposer_id}`;
  return {
    ...config,
    runName,
    tags,
    metadata: { ...config.metadata, ...call },
    signal: options.signal ?? config.signal,
  };
}
