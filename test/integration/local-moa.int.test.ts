// A whole Mixture-of-Agents in-process on the embedded engine: three local proposers and a local
// aggregator (the toy models of `moa demo`), through the library, `moa demo` and `moa run`.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HumanMessage, type AIMessageChunk } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { runCli } from "../../src/cli/main.js";
import { createMixtureOfAgents } from "../../src/graph/create-mixture-of-agents.js";
import type { MoaCallMetadata } from "../../src/graph/model-call-config.js";
import { DEMO_MODELS, ensureDemoModels } from "../../src/local/demo-models.js";
import { disposeLocalModels, localModelStats } from "../../src/local/local-models.js";
import { messageText } from "../../src/models/index.js";
import { loadChatModel } from "../../src/load-chat-model.js";

const REPLIES = Object.fromEntries(DEMO_MODELS.map((model) => [model.name, model.reply]));

let directory: string;
let env: Record<string, string>;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "moa-local-moa-"));
  env = { MOA_MODELS_DIR: directory, MOA_LOCAL_THREADS: "1" };
  await ensureDemoModels(directory);
});

afterAll(async () => {
  await disposeLocalModels();
  rmSync(directory, { recursive: true, force: true });
});

function io(extra: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    env: { ...env, ...extra },
    color: false,
    exitCode: 0,
  };
  return { io: value, out: () => out.join(""), err: () => err.join("") };
}

describe("MoA on local models", () => {
  it("runs three local proposers over two layers and a local aggregator", async () => {
    const load = (name: string) => loadChatModel(`local:${name}`, { env });
    const graph = createMixtureOfAgents({
      proposers: [
        { id: "alpha", model: load("toy-alpha") },
        { id: "beta", model: load("toy-beta") },
        // Two samples of one model: two sequences of one loaded model.
        { id: "gamma", model: load("toy-gamma"), samples: 2 },
      ],
      aggregator: { id: "aggregator", model: load("toy-aggregator") },
      layers: 3,
    }).compile();

    const aggregatorTokens: string[] = [];
    const proposerCalls = new Set<string>();
    let state: { messages: unknown[]; proposals: any[] } | undefined;
    const stream = await graph.stream(
      { messages: [new HumanMessage("Why combine models?")] },
      { streamMode: ["messages", "values"] },
    );
    for await (const [mode, chunk] of stream as AsyncIterable<[string, any]>) {
      if (mode === "values") state = chunk;
      else {
        const [message, metadata] = chunk as [AIMessageChunk, Partial<MoaCallMetadata>];
        if (metadata.moa_role === "aggregator") aggregatorTokens.push(messageText(message));
        else if (metadata.moa_role === "proposer") {
          proposerCalls.add(`${metadata.moa_layer}:${metadata.moa_proposer_id}`);
        }
      }
    }

    const final = state!;
    expect(messageText(final.messages.at(-1) as HumanMessage)).toBe(REPLIES["toy-aggregator"]);
    expect(aggregatorTokens.join("")).toBe(REPLIES["toy-aggregator"]);
    expect(aggregatorTokens.length).toBeGreaterThan(10); // token by token, not one piece
    expect(proposerCalls.size).toBeGreaterThan(0); // proposer tokens carry their metadata

    expect(
      final.proposals.map((proposal) => [proposal.layer, proposal.proposerId, proposal.sample]),
    ).toEqual([
      [1, "alpha", 0],
      [1, "beta", 0],
      [1, "gamma", 0],
      [1, "gamma", 1],
      [2, "alpha", 0],
      [2, "beta", 0],
      [2, "gamma", 0],
      [2, "gamma", 1],
    ]);
    for (const proposal of final.proposals) {
      expect(proposal.status).toBe("ok");
      expect(proposal.content).toBe(REPLIES[`toy-${proposal.proposerId}`]);
      expect(proposal.usage.outputTokens).toBeGreaterThan(5);
    }
    // Layer 2 sees the references of layer 1: much longer prompts.
    const prompt = (layer: number, id: string) =>
      final.proposals.find((proposal) => proposal.layer === layer && proposal.proposerId === id)
        .usage.inputTokens;
    expect(prompt(2, "alpha")).toBeGreaterThan(prompt(1, "alpha") + 300);

    const stats = await localModelStats();
    const gamma = stats.find((entry) => entry.modelPath.endsWith("toy-gamma.gguf"))!;
    expect(stats.filter((entry) => entry.modelPath.endsWith("toy-gamma.gguf"))).toHaveLength(1);
    expect(gamma).toMatchObject({ calls: 4, peakLeases: 2, chatWrapper: "ChatML" });
  });

  it("`moa demo` generates nothing twice, streams the answer and prints the per-layer table", async () => {
    const cli = io();
    expect(await runCli(["demo"], cli.io)).toBe(0);
    expect(cli.err()).not.toMatch(/Generated/); // written in beforeAll already
    expect(cli.err()).toMatch(/TOY WEIGHTS: local:toy-alpha, .* are generated next-token tables/);
    const out = cli.out();
    expect(out.startsWith(`${REPLIES["toy-aggregator"]}\n\n`)).toBe(true);
    expect(out).toMatch(/│\s+1 │ proposer\s+│ toy-alpha\s+│ 0 │ ok/);
    expect(out).toMatch(/│\s+2 │ proposer\s+│ toy-gamma\s+│ 0 │ ok/);
    expect(out).toMatch(/│\s+3 │ aggregator │ toy-aggregator │ 0 │ ok/);
    expect(out).toMatch(
      /cost: \$0\.00000 \(local:toy-\S+.* priced at \$0 because they run on your machine\) ·/,
    );
    expect(out).toMatch(/engine: node-llama-cpp started in/);
    expect(out).toMatch(/toy-gamma\.gguf: ChatML chat template/);
    expect(out).toMatch(/generation: \d+ tokens at \d+ tokens\/s per call/);
    expect(out).toMatch(/toy weights: the text above is a fixed table's output/);
  });

  it("`moa demo --json` writes the toy models on a fresh cache and reports the run", async () => {
    const fresh = mkdtempSync(join(tmpdir(), "moa-local-fresh-"));
    try {
      const cli = io({ MOA_MODELS_DIR: fresh });
      expect(
        await runCli(["demo", "Hello?", "--layers", "2", "--samples", "2", "--json"], cli.io),
      ).toBe(0);
      const result = JSON.parse(cli.out());
      expect(result.answer).toBe(REPLIES["toy-aggregator"]);
      expect(result.toyWeights).toBe(true);
      expect(result.proposals).toHaveLength(6);
      expect(result.engine.models).toHaveLength(4);
      expect(result.usage.outputTokens).toBeGreaterThan(50);
      expect(readdirSync(fresh).sort()).toEqual([
        "toy-aggregator.gguf",
        "toy-alpha.gguf",
        "toy-beta.gguf",
        "toy-gamma.gguf",
      ]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("`moa run` takes local: models like any other provider", async () => {
    const cli = io();
    const code = await runCli(
      [
        "run",
        "Hi",
        "--proposers",
        "local:toy-alpha,local:toy-beta",
        "--aggregator",
        "local:toy-aggregator",
        "--layers",
        "2",
      ],
      cli.io,
    );
    expect(cli.err()).toBe("");
    expect(code).toBe(0);
    expect(cli.out()).toContain(REPLIES["toy-aggregator"]);
    expect(cli.out()).toMatch(/│\s+1 │ proposer\s+│ toy-beta/);
  });

  it("`moa run` with a local model that is not there exits 2 saying how to get it", async () => {
    const cli = io();
    expect(
      await runCli(["run", "Hi", "--layers", "1", "--aggregator", "local:llama-3-70b"], cli.io),
    ).toBe(2);
    expect(cli.err()).toMatch(/no model "llama-3-70b" in .*moa models pull/);
  });
});
