/**
 * P1 — critical-path efficiency: MoA with 3 layers × 6 proposers through the real `ChatOpenAI`
 * HTTP client against the loopback simulator (every call 200 ms to first byte). The physical
 * limit of a run is its critical path: Σ over layers of the slowest call, plus the aggregator.
 * Beside it: the same calls with the proposers of a layer called one after another (the
 * reference implementation's evaluation pattern).
 */
import { performance } from "node:perf_hooks";
import { createMixtureOfAgents } from "../src/index.js";
import { prepareBenchProcess } from "./lib/environment.js";
import { benchInput, sequentialMoa } from "./lib/moa-fixtures.js";
import { createMinimalMoaGraph } from "./lib/minimal-moa-graph.js";
import { benchCommand, runIfMain, type Benchmark, type BenchReport } from "./lib/report.js";
import { proposerNames, simulatedModel } from "./lib/simulated-models.js";
import { startSimulatorProcess } from "./lib/simulator-process.js";
import { rawChatCall, rawParallelCalls } from "./lib/raw-calls.js";
import { median } from "./lib/stats.js";

const PROPOSERS = 6;
const LAYERS = 3;
const CALL_MS = 200;

const benchmark: Benchmark = {
  id: "p1",
  title: `critical-path efficiency (${LAYERS} layers × ${PROPOSERS} proposers, HTTP, ${CALL_MS} ms per call)`,
  async run({ runs, log }): Promise<BenchReport> {
    prepareBenchProcess();
    const names = proposerNames(PROPOSERS);
    const models = Object.fromEntries(
      [...names, "aggregator"].map((name) => [name, { latencyMs: CALL_MS }]),
    );
    const sim = await startSimulatorProcess({ models });
    try {
      const proposers = names.map((name) => simulatedModel(sim.url, name));
      const aggregator = simulatedModel(sim.url, "aggregator");
      const graph = createMixtureOfAgents({ proposers, aggregator, layers: LAYERS }).compile();
      // The smallest LangGraph MoA making the same calls through the same clients: what any
      // LangGraph + ChatOpenAI MoA pays on this machine, to tell the framework's share from ours.
      const minimal = createMinimalMoaGraph(proposers, aggregator, LAYERS).compile();
      const input = benchInput();
      const userText = String(input.messages[0]!.content);
      const nominal = LAYERS * CALL_MS;
      // The same critical path made of bare `fetch` calls (6 at once per proposer layer, then
      // one): what a client with no overhead at all sees on this machine and simulator.
      const bareCriticalPath = async () => {
        let total = 0;
        for (let layer = 1; layer < LAYERS; layer++) {
          total += await rawParallelCalls(sim.url, names, userText);
        }
        return total + (await rawChatCall(sim.url, "aggregator", userText)).totalMs;
      };

      const timed = async (body: () => Promise<unknown>) => {
        const started = performance.now();
        await body();
        return performance.now() - started;
      };
      // Warm-up: opens the keep-alive connections and compiles the hot paths.
      await graph.invoke(input);
      await minimal.invoke(input);
      await sequentialMoa(input.messages, proposers, aggregator, LAYERS);
      await bareCriticalPath();

      const graphRuns: number[] = [];
      const sequentialRuns: number[] = [];
      const minimalRuns: number[] = [];
      const ideals: number[] = [];
      for (let run = 0; run < runs; run++) {
        ideals.push(await bareCriticalPath());
        graphRuns.push(await timed(() => graph.invoke(input)));
        minimalRuns.push(await timed(() => minimal.invoke(input)));
        sequentialRuns.push(
          await timed(() => sequentialMoa(input.messages, proposers, aggregator, LAYERS)),
        );
        log(
          `run ${run + 1}/${runs}: MoA graph ${graphRuns.at(-1)!.toFixed(1)} ms, minimal LangGraph MoA ${minimalRuns.at(-1)!.toFixed(1)} ms, sequential ${sequentialRuns.at(-1)!.toFixed(1)} ms ` +
            `(ideal ${ideals.at(-1)!.toFixed(1)} ms measured with bare fetch, ${nominal} ms nominal)`,
        );
      }
      const graphRatios = graphRuns.map((value, index) => value / ideals[index]!);
      const minimalRatios = minimalRuns.map((value, index) => value / ideals[index]!);
      const sequentialRatios = sequentialRuns.map((value, index) => value / ideals[index]!);
      const nominalRatios = graphRuns.map((value) => value / nominal);
      return {
        id: "p1",
        title: benchmark.title,
        command: benchCommand("p1", runs),
        figures: [
          {
            label: "MoA graph: wall / ideal critical path",
            value: median(graphRatios),
            unit: "×",
            digits: 3,
            target: { comparison: "<=", value: 1.05 },
            runs: graphRatios,
          },
          {
            label: "MoA graph: wall time",
            value: median(graphRuns),
            unit: "ms",
            digits: 1,
            runs: graphRuns,
          },
          {
            label: "ideal critical path (bare fetch)",
            value: median(ideals),
            unit: "ms",
            digits: 1,
            runs: ideals,
          },
          {
            label: `MoA graph: wall / nominal ${nominal} ms`,
            value: median(nominalRatios),
            unit: "×",
            digits: 3,
            runs: nominalRatios,
          },
          {
            label: "minimal LangGraph MoA, same clients: wall / ideal",
            value: median(minimalRatios),
            unit: "×",
            digits: 3,
            runs: minimalRatios,
          },
          {
            label: "reference pattern (sequential proposers): wall / ideal",
            value: median(sequentialRatios),
            unit: "×",
            digits: 3,
            runs: sequentialRatios,
          },
        ],
        notes: [
          `every simulated call answers ${CALL_MS} ms after its request arrives (32-word replies, not paced): nominal critical path ${LAYERS - 1} proposer layers × ${CALL_MS} ms + aggregator ${CALL_MS} ms = ${nominal} ms`,
          `ideal = the same critical path timed with bare fetch calls (${PROPOSERS} at once per proposer layer, then one) right before each run: the call cost no client can avoid here (simulator process, loopback, timer slack); each run's ratio uses its own ideal`,
          `the sequential pattern cannot beat ${(LAYERS - 1) * PROPOSERS + 1} calls one after another: ${((LAYERS - 1) * PROPOSERS + 1) * CALL_MS} ms nominal, ` +
            `${(((LAYERS - 1) * PROPOSERS + 1) / LAYERS).toFixed(2)}× the critical path`,
          `minimal LangGraph MoA: bench/lib/minimal-moa-graph.ts, the same Send fan-out and model calls on a plain Annotation state without our features (quorum, error records, timeouts, metadata, budget); MoA graph − minimal = ${(median(graphRuns) - median(minimalRuns)).toFixed(1)} ms per run`,
          `simulator in a child process; client: ChatOpenAI via loadChatModel("openai:…"), maxRetries 0, keep-alive; ` +
            `1 warm-up run, then ${runs} measured runs of each, interleaved`,
        ],
      };
    } finally {
      await sim.close();
    }
  },
};

export default benchmark;
await runIfMain(benchmark, import.meta.url);
