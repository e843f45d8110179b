/**
 * P4 — time to first token: MoA (3 layers × 6 proposers) streamed through the real HTTP client,
 * as `moa run` streams it (`streamMode: ["messages", "custom", "values"]`): when does the first
 * aggregator token arrive, against the ideal (the proposer layers' critical path plus the
 * aggregator's own time to first token)?
 */
import { performance } from "node:perf_hooks";
import type { AIMessageChunk } from "@langchain/core/messages";
import { createMixtureOfAgents, type MoaCallMetadata } from "../src/index.js";
import { messageText } from "../src/models/index.js";
import { prepareBenchProcess } from "./lib/environment.js";
import { benchInput } from "./lib/moa-fixtures.js";
import { createMinimalMoaGraph } from "./lib/minimal-moa-graph.js";
import { benchCommand, runIfMain, type Benchmark, type BenchReport } from "./lib/report.js";
import { proposerNames, simulatedModel } from "./lib/simulated-models.js";
import { startSimulatorProcess } from "./lib/simulator-process.js";
import { rawChatCall, rawParallelCalls } from "./lib/raw-calls.js";
import { median } from "./lib/stats.js";

const PROPOSERS = 6;
const LAYERS = 3;
const PROPOSER = { latencyMs: 200, tokensPerSecond: 200, outputTokens: 40 };
const AGGREGATOR = { latencyMs: 300, tokensPerSecond: 100, outputTokens: 60 };

/** A streamed call's duration on the simulator: first byte, then token i at i / pace. */
function streamedCallMs(model: typeof PROPOSER): number {
  return model.latencyMs + ((model.outputTokens - 1) / model.tokensPerSecond) * 1000;
}

const benchmark: Benchmark = {
  id: "p4",
  title: `time to first token (streamed, ${LAYERS} layers × ${PROPOSERS} proposers, HTTP)`,
  async run({ runs, log }): Promise<BenchReport> {
    prepareBenchProcess();
    const names = proposerNames(PROPOSERS);
    const sim = await startSimulatorProcess({
      models: {
        ...Object.fromEntries(names.map((name) => [name, PROPOSER])),
        aggregator: AGGREGATOR,
      },
    });
    try {
      const proposers = names.map((name) => simulatedModel(sim.url, name));
      const aggregator = simulatedModel(sim.url, "aggregator");
      const graph = createMixtureOfAgents({ proposers, aggregator, layers: LAYERS }).compile();
      // The smallest LangGraph MoA on the same clients, streamed the same way: the framework's
      // and the clients' share of the excess (its nodes pass their config, so tokens stream).
      const minimal = createMinimalMoaGraph(proposers, aggregator, LAYERS).compile();
      const nominal = (LAYERS - 1) * streamedCallMs(PROPOSER) + AGGREGATOR.latencyMs;
      const userText = String(benchInput().messages[0]!.content);
      // The same path with bare streamed `fetch` calls: the proposer layers until their last
      // stream ends, then the aggregator's first token — what a zero-overhead client sees here.
      const bareFirstToken = async () => {
        let total = 0;
        for (let layer = 1; layer < LAYERS; layer++) {
          total += await rawParallelCalls(sim.url, names, userText, true);
        }
        return total + (await rawChatCall(sim.url, "aggregator", userText, true)).firstContentMs;
      };

      const once = async (target: typeof graph | typeof minimal = graph) => {
        const started = performance.now();
        let firstToken: number | undefined;
        const stream = await (target as typeof graph).stream(benchInput(), {
          streamMode: ["messages", "custom", "values"],
        });
        for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
          if (mode !== "messages" || firstToken !== undefined) continue;
          const [message, metadata] = chunk as [
            AIMessageChunk,
            Partial<MoaCallMetadata> & { langgraph_node?: string },
          ];
          const fromAggregator =
            target === graph
              ? metadata.moa_role === "aggregator"
              : metadata.langgraph_node === "aggregate";
          if (fromAggregator && messageText(message) !== "") {
            firstToken = performance.now() - started;
          }
        }
        if (firstToken === undefined) throw new Error("no aggregator token was streamed");
        return { firstToken, total: performance.now() - started };
      };
      await once(); // warm-up: keep-alive connections, JIT
      await once(minimal);
      await bareFirstToken();

      const excess: number[] = [];
      const firsts: number[] = [];
      const ideals: number[] = [];
      const minimalExcess: number[] = [];
      for (let run = 0; run < runs; run++) {
        ideals.push(await bareFirstToken());
        const { firstToken, total } = await once();
        firsts.push(firstToken);
        excess.push(firstToken - ideals.at(-1)!);
        minimalExcess.push((await once(minimal)).firstToken - ideals.at(-1)!);
        log(
          `run ${run + 1}/${runs}: first aggregator token at ${firstToken.toFixed(1)} ms ` +
            `(minimal LangGraph MoA ${(ideals.at(-1)! + minimalExcess.at(-1)!).toFixed(1)} ms, ideal ${ideals.at(-1)!.toFixed(1)} ms with bare fetch, ${nominal.toFixed(0)} ms nominal), run ${total.toFixed(1)} ms`,
        );
      }
      return {
        id: "p4",
        title: benchmark.title,
        command: benchCommand("p4", runs),
        figures: [
          {
            label: "first aggregator token − ideal",
            value: median(excess),
            unit: "ms",
            digits: 1,
            target: { comparison: "<=", value: 50 },
            runs: excess,
          },
          {
            label: "minimal LangGraph MoA, same clients: first token − ideal",
            value: median(minimalExcess),
            unit: "ms",
            digits: 1,
            runs: minimalExcess,
          },
          {
            label: "first aggregator token",
            value: median(firsts),
            unit: "ms",
            digits: 1,
            runs: firsts,
          },
          {
            label: "ideal (bare fetch)",
            value: median(ideals),
            unit: "ms",
            digits: 1,
            runs: ideals,
          },
          {
            label: `first aggregator token − nominal ${nominal.toFixed(0)} ms`,
            value: median(firsts) - nominal,
            unit: "ms",
            digits: 1,
          },
        ],
        notes: [
          `nominal = ${LAYERS - 1} proposer layers × ${streamedCallMs(PROPOSER).toFixed(0)} ms (first byte ${PROPOSER.latencyMs} ms + ${PROPOSER.outputTokens} tokens at ${PROPOSER.tokensPerSecond}/s, streamed) + aggregator first byte ${AGGREGATOR.latencyMs} ms`,
          `ideal = the same path timed with bare streamed fetch calls (${PROPOSERS} at once per proposer layer until the last stream ends, then the aggregator's first token) right before each run; each run's excess uses its own ideal`,
          `minimal LangGraph MoA: bench/lib/minimal-moa-graph.ts on the same clients (same Send fan-out and calls, plain Annotation state, none of our features), streamed the same way`,
          `stream as \`moa run\` does: streamMode ["messages", "custom", "values"], proposer tokens streamed too (the default); 1 warm-up run, then ${runs} measured`,
        ],
      };
    } finally {
      await sim.close();
    }
  },
};

export default benchmark;
await runIfMain(benchmark, import.meta.url);
