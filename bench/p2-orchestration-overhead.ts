/**
 * P2 — orchestration overhead: the MoA graph (6 proposers × 3 layers) on zero-latency fake
 * models, against (a) a hand-written `Promise.all` pipeline making the same calls, (b) a no-op
 * LangGraph graph of the same shape (the framework's floor) and (c) the smallest LangGraph MoA
 * making the same calls (what any LangGraph MoA pays). Also counts supersteps.
 */
import { createMixtureOfAgents } from "../src/index.js";
import { prepareBenchProcess } from "./lib/environment.js";
import { benchInput, fakeModels, promiseAllMoa } from "./lib/moa-fixtures.js";
import { createMinimalMoaGraph } from "./lib/minimal-moa-graph.js";
import { createNoopMoaShapedGraph } from "./lib/noop-graph.js";
import { createStudioSchemaMoaGraph } from "./lib/studio-schema-moa-graph.js";
import { benchCommand, runIfMain, type Benchmark, type BenchReport } from "./lib/report.js";
import { median } from "./lib/stats.js";
import { interleavedMsPerCall } from "./lib/timing.js";

const PROPOSERS = 6;
const LAYERS = 3;
const ITERATIONS = 100;

/** Supersteps of one run: the distinct `step` numbers of the tasks a debug stream reports. */
export async function countSupersteps(
  graph: { stream(input: unknown, options: unknown): Promise<AsyncIterable<unknown>> },
  input: unknown,
): Promise<{ supersteps: number; tasks: number }> {
  const steps = new Set<number>();
  let tasks = 0;
  for await (const event of await graph.stream(input, { streamMode: "debug" })) {
    const { type, step } = event as { type: string; step: number };
    if (type === "task") {
      steps.add(step);
      tasks += 1;
    }
  }
  return { supersteps: steps.size, tasks };
}

const benchmark: Benchmark = {
  id: "p2",
  title: "orchestration overhead (6 proposers × 3 layers, zero-latency fakes)",
  async run({ runs, log }): Promise<BenchReport> {
    prepareBenchProcess();
    const input = benchInput();
    const moaModels = fakeModels(PROPOSERS);
    const moa = createMixtureOfAgents({
      proposers: moaModels.proposers,
      aggregator: moaModels.aggregator,
      layers: LAYERS,
    }).compile();
    const diagnosticModels = fakeModels(PROPOSERS);
    const withStudioSchema = createStudioSchemaMoaGraph({
      proposers: diagnosticModels.proposers,
      aggregator: diagnosticModels.aggregator,
      layers: LAYERS,
    }).compile();
    const pipelineModels = fakeModels(PROPOSERS);
    const noop = createNoopMoaShapedGraph(PROPOSERS, LAYERS).compile();
    const minimalModels = fakeModels(PROPOSERS);
    const minimal = createMinimalMoaGraph(
      minimalModels.proposers,
      minimalModels.aggregator,
      LAYERS,
    ).compile();

    const graphRuns: number[] = [];
    const pipelineRuns: number[] = [];
    const noopRuns: number[] = [];
    const minimalRuns: number[] = [];
    const studioSchemaRuns: number[] = [];
    for (let run = 0; run < runs; run++) {
      const [noopMs, pipelineMs, minimalMs, graphMs, studioSchemaMs] = await interleavedMsPerCall(
        [
          () => noop.invoke({}),
          () =>
            promiseAllMoa(
              input.messages,
              pipelineModels.proposers,
              pipelineModels.aggregator,
              LAYERS,
            ),
          () => minimal.invoke(input),
          () => moa.invoke(input),
          () => withStudioSchema.invoke(input),
        ],
        ITERATIONS,
      );
      studioSchemaRuns.push(studioSchemaMs!);
      noopRuns.push(noopMs!);
      pipelineRuns.push(pipelineMs!);
      minimalRuns.push(minimalMs!);
      graphRuns.push(graphMs!);
      log(
        `run ${run + 1}/${runs}: graph ${graphRuns.at(-1)!.toFixed(2)} ms, Promise.all ${pipelineRuns.at(-1)!.toFixed(2)} ms, ` +
          `no-op graph ${noopRuns.at(-1)!.toFixed(2)} ms, minimal LangGraph MoA ${minimalRuns.at(-1)!.toFixed(2)} ms`,
      );
    }
    const moaSteps = await countSupersteps(moa, input);
    const noopSteps = await countSupersteps(noop, {});
    const graphMs = median(graphRuns);
    const pipelineMs = median(pipelineRuns);
    const noopMs = median(noopRuns);
    const minimalMs = median(minimalRuns);
    const ratios = graphRuns.map((value, index) => value / noopRuns[index]!);
    const studioSchemaRatios = studioSchemaRuns.map((value, index) => value / noopRuns[index]!);
    const proposerLayers = LAYERS - 1;
    return {
      id: "p2",
      title: benchmark.title,
      command: benchCommand("p2", runs),
      figures: [
        { label: "MoA graph, ms per run", value: graphMs, unit: "ms", runs: graphRuns },
        {
          label: "(a) Promise.all pipeline, ms per run",
          value: pipelineMs,
          unit: "ms",
          runs: pipelineRuns,
        },
        {
          label: "(b) no-op graph, same shape, ms per run",
          value: noopMs,
          unit: "ms",
          runs: noopRuns,
        },
        {
          label: "(c) minimal LangGraph MoA, ms per run",
          value: minimalMs,
          unit: "ms",
          runs: minimalRuns,
        },
        {
          label: "MoA graph / no-op graph",
          value: median(ratios),
          unit: "×",
          target: { comparison: "<=", value: 1.25 },
          runs: ratios,
        },
        {
          label: "(d) same graph, MoaStateSchema as LangGraph's state (deployed graph) / no-op",
          value: median(studioSchemaRatios),
          unit: "×",
          runs: studioSchemaRatios,
        },
        {
          label: "supersteps per proposer layer",
          value: (moaSteps.supersteps - 2) / proposerLayers,
          unit: "",
          digits: 0,
          target: { comparison: "<=", value: 2 },
        },
      ],
      notes: [
        `supersteps per run: MoA ${moaSteps.supersteps} (${moaSteps.tasks} tasks), no-op graph ${noopSteps.supersteps} (${noopSteps.tasks} tasks); ` +
          `= turn + ${proposerLayers} × (propose, layer) + aggregate, the floor for a Send fan-out with a join per layer`,
        `(c) has the same shape, Send fan-out and model calls (each with the node's config) but plain Annotation state and none of our features (quorum, error records, timeouts, metadata, budget); ` +
          `MoA graph − (c) = ${(graphMs - minimalMs).toFixed(2)} ms per run is what createMixtureOfAgents adds to any LangGraph MoA`,
        `(d) is the graph createConfigurableMixtureOfAgents deploys: MoaStateSchema itself as LangGraph's state schema, so Studio gets its state and input forms, and LangGraph validates every node write by rebuilding a partial zod schema (validateStateUpdates, langgraph 1.7): ${median(studioSchemaRuns).toFixed(2)} ms per run, ` +
          `${(median(studioSchemaRuns) - graphMs).toFixed(2)} ms more than createMixtureOfAgents' graph, which runs on the same channels and validates its input only`,
        `each measurement: ${ITERATIONS} rounds of (b), (a), (c), MoA graph one after another (interleaved, so load drift hits all alike) after ${ITERATIONS / 5} warm-up rounds; median of ${runs} measurements`,
      ],
    };
  },
};

export default benchmark;
await runIfMain(benchmark, import.meta.url);
