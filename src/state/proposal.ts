import { z } from "zod";

/** Schema of {@link Usage}. */
export const UsageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
});

/** Token usage of one model call, from the provider's usage metadata. */
export type Usage = z.infer<typeof UsageSchema>;

/** Schema of {@link Proposal}. */
export const ProposalSchema = z.object({
  /** 1-based proposer layer. */
  layer: z.number().int().describe("1-based proposer layer"),
  /** Unique id of the proposer (the spec's `id`, else derived from the model name). */
  proposerId: z.string(),
  /** Position of the proposer in its layer's list; the reference order. */
  proposerIndex: z.number().int(),
  /** 0-based sample index (`samples: k` fans one proposer out k times). */
  sample: z.number().int().describe("0-based sample index"),
  status: z.enum(["ok", "error"]),
  /** The answer; `""` when `status` is `"error"`. */
  content: z.string(),
  /** Error message when `status` is `"error"` (never contains credentials). */
  error: z.string().optional(),
  usage: UsageSchema.optional(),
  latencyMs: z.number().optional(),
  /** True when the context guard shortened the references this proposer received. */
  referencesTruncated: z.boolean().optional(),
});

/** One proposer call's result. Every proposal of a turn is kept in state, failed ones too. */
export type Proposal = z.infer<typeof ProposalSchema>;

/** Update that clears this turn's proposals (written when a turn starts). */
export interface ProposalsReset {
  reset: true;
}

/** Marker update that starts a turn with an empty proposal list. */
export const RESET_PROPOSALS: ProposalsReset = { reset: true };

/** What nodes may write to `proposals`. */
export type ProposalsUpdate = Proposal[] | ProposalsReset;

export const ProposalsUpdateSchema = z.union([
  z.array(ProposalSchema),
  z.object({ reset: z.literal(true) }),
]);

/** Total order of proposals: layer, then proposer order, then sample. */
export function compareProposals(a: Proposal, b: Proposal): number {
  return a.layer - b.layer || a.proposerIndex - b.proposerIndex || a.sample - b.sample;
}

function sameSlot(a: Proposal, b: Proposal): boolean {
  return compareProposals(a, b) === 0;
}

/**
 * Reducer of `proposals`: merges concurrent branch writes into one list sorted by
 * (layer, proposer order, sample), whatever order the branches finished in.
 *
 * A slot written twice (a resumed branch re-running) keeps one entry: a successful proposal
 * beats an error, otherwise the first one kept stays. `RESET_PROPOSALS` empties the list.
 */
export function reduceProposals(current: Proposal[], update: ProposalsUpdate): Proposal[] {
  if (!Array.isArray(update)) return [];
  if (update.length === 0) return current;
  const merged = [...current];
  for (const proposal of update) {
    const existing = merged.findIndex((candidate) => sameSlot(candidate, proposal));
    if (existing === -1) merged.push(proposal);
    else if (merged[existing]!.status === "error" && proposal.status === "ok")
      merged[existing] = proposal;
  }
  return merged.sort(compareProposals);
}

/** Successful proposals of one layer in reference order (failed ones dropped). */
export function layerReferences(proposals: readonly Proposal[], layer: number): string[] {
  return proposals
    .filter((proposal) => proposal.layer === layer && proposal.status === "ok")
    .sort(compareProposals)
    .map((proposal) => proposal.content);
}

/** Sums the usage of a set of calls (calls without usage count as zero). */
export function sumUsage(usages: readonly (Usage | undefined)[]): Usage {
  let inputTokens = 0;
  let outputTokens = 0;
  for (const usage of usages) {
    inputTokens += usage?.inputTokens ?? 0;
    outputTokens += usage?.outputTokens ?? 0;
  }
  return { inputTokens, outputTokens };
}
