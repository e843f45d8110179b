import { describe, expect, it } from "vitest";
import { injectReferences } from "../../../src/prompts/inject-references.js";
import {
  RESET_PROPOSALS,
  compareProposals,
  layerReferences,
  reduceProposals,
  sumUsage,
  type Proposal,
  type ProposalsUpdate,
} from "../../../src/state/proposal.js";
import { expectedSystemText, seededRandom } from "../graph/support.js";

function proposal(
  layer: number,
  proposerIndex: number,
  sample: number,
  status: "ok" | "error" = "ok",
): Proposal {
  return {
    layer,
    proposerId: `p${proposerIndex}`,
    proposerIndex,
    sample,
    status,
    content: status === "ok" ? `L${layer} p${proposerIndex}#${sample}` : "",
    ...(status === "error" ? { error: "boom" } : {}),
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

describe("reduceProposals", () => {
  // What concurrent propose branches write: one proposal each, plus a slot written twice
  // (a resumed branch) with an error first and a success later.
  const updates: Proposal[][] = [
    [proposal(1, 0, 0)],
    [proposal(1, 0, 1)],
    [proposal(1, 1, 0, "error")],
    [proposal(1, 2, 0)],
    [proposal(1, 2, 1, "error")],
    [proposal(1, 2, 1)],
    [proposal(2, 0, 0)],
    [proposal(2, 1, 0), proposal(2, 2, 0, "error")],
  ];
  const expected = [
    proposal(1, 0, 0),
    proposal(1, 0, 1),
    proposal(1, 1, 0, "error"),
    proposal(1, 2, 0),
    proposal(1, 2, 1),
    proposal(2, 0, 0),
    proposal(2, 1, 0),
    proposal(2, 2, 0, "error"),
  ];

  it("gives the same sorted list whatever order the branches finish in", () => {
    const random = seededRandom(20240607);
    const seen = new Set<string>();
    for (let round = 0; round < 200; round++) {
      const order = shuffled(updates, random);
      seen.add(JSON.stringify(order));
      const result = order.reduce<Proposal[]>(
        (state, update) => reduceProposals(state, update),
        [],
      );
      expect(result).toEqual(expected);
    }
    // The shuffles really exercised different finishing orders.
    expect(seen.size).toBeGreaterThan(100);
  });

  it("keeps the successful proposal when a slot is written twice, in either order", () => {
    const ok = proposal(1, 0, 0);
    const failed = proposal(1, 0, 0, "error");
    expect(reduceProposals(reduceProposals([], [failed]), [ok])).toEqual([ok]);
    expect(reduceProposals(reduceProposals([], [ok]), [failed])).toEqual([ok]);
    expect(reduceProposals([], [failed, ok])).toEqual([ok]);
  });

  it("keeps the first of two entries with the same status for one slot", () => {
    const first = { ...proposal(1, 0, 0), content: "first" };
    const second = { ...proposal(1, 0, 0), content: "second" };
    expect(reduceProposals([first], [second])).toEqual([first]);
  });

  it.each<{ name: string; update: ProposalsUpdate }>([
    { name: "RESET_PROPOSALS", update: RESET_PROPOSALS },
    {
      name: "a reset marker read back from a checkpoint",
      update: JSON.parse(JSON.stringify(RESET_PROPOSALS)),
    },
  ])("empties the list on $name", ({ update }) => {
    expect(reduceProposals([proposal(1, 0, 0), proposal(2, 0, 0)], update)).toEqual([]);
  });

  it("returns the current list for an empty update and never mutates its inputs", () => {
    const current = [proposal(1, 1, 0), proposal(1, 0, 0)];
    const update = [proposal(1, 2, 0)];
    const currentBefore = structuredClone(current);
    const updateBefore = structuredClone(update);
    expect(reduceProposals(current, [])).toBe(current);
    const result = reduceProposals(current, update);
    expect(result).not.toBe(current);
    expect(current).toEqual(currentBefore);
    expect(update).toEqual(updateBefore);
    expect(result.map((entry) => entry.proposerIndex)).toEqual([0, 1, 2]);
  });
});

describe("compareProposals", () => {
  it("orders by layer, then proposer order, then sample", () => {
    const list = [proposal(2, 0, 0), proposal(1, 1, 0), proposal(1, 0, 1), proposal(1, 0, 0)];
    expect(
      list
        .sort(compareProposals)
        .map(({ layer, proposerIndex, sample }) => [layer, proposerIndex, sample]),
    ).toEqual([
      [1, 0, 0],
      [1, 0, 1],
      [1, 1, 0],
      [2, 0, 0],
    ]);
  });
});

describe("layerReferences", () => {
  it("keeps one layer's successful answers in reference order, whatever the stored order", () => {
    const proposals = [
      proposal(2, 0, 0),
      proposal(1, 2, 0),
      proposal(1, 0, 1),
      proposal(1, 0, 0),
      proposal(1, 1, 0),
    ];
    expect(layerReferences(proposals, 1)).toEqual(["L1 p0#0", "L1 p0#1", "L1 p1#0", "L1 p2#0"]);
    expect(layerReferences(proposals, 2)).toEqual(["L2 p0#0"]);
    expect(layerReferences(proposals, 3)).toEqual([]);
  });

  it("drops failed proposals before numbering, so the injected list has no gaps", () => {
    const proposals = [proposal(1, 0, 0), proposal(1, 1, 0, "error"), proposal(1, 2, 0)];
    const references = layerReferences(proposals, 1);
    expect(references).toEqual(["L1 p0#0", "L1 p2#0"]);
    const [system] = injectReferences([], references);
    expect(system!.content).toBe(expectedSystemText(["L1 p0#0", "L1 p2#0"]));
    expect(String(system!.content).endsWith("\n1. L1 p0#0\n2. L1 p2#0")).toBe(true);
  });
});

describe("sumUsage", () => {
  it("adds input and output tokens, counting missing usage as zero", () => {
    expect(
      sumUsage([
        { inputTokens: 3, outputTokens: 4 },
        undefined,
        { inputTokens: 10, outputTokens: 1 },
      ]),
    ).toEqual({
      inputTokens: 13,
      outputTokens: 5,
    });
    expect(sumUsage([])).toEqual({ inputTokens: 0, outputTokens: 0 });
  });
});
