/**
 * P3 — batch throughput and memory: the 805 AlpacaEval instructions through MoA-Lite (6
 * proposers, 2 layers) against the loopback simulator, 64 instructions at a time, every simulated
 * model answering with its real recorded AlpacaEval output at a realistic pace.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { HumanMessage } from "@langchain/core/messages";
import { createMixtureOfAgents } from "../src/index.js";
import { prepareBenchProcess } from "./lib/environment.js";
import { mebibytes, peakRssFromKernel, resetPeakRss, sampleRss } from "./lib/memory.js";
import { firstMissing, sharedDataPath } from "./lib/paths.js";
import { benchCommand, runIfMain, type Benchmark, type BenchReport } from "./lib/report.js";
import { simulatedModel } from "./lib/simulated-models.js";
import { startSimulatorProcess, type SimulatedModel } from "./lib/simulator-process.js";
import { median } from "./lib/stats.js";

const CONCURRENCY = 64;
/**
 * The simulator runs this many times faster than real time, so a batch takes ~35 s instead of
 * ~6 minutes; the client must then sustain 10× the real call rate, a harder test of its overhead.
 */
const TIME_SCALE = 10;
/** Tokens per whitespace word (English prose, Llama/Qwen tokenizers ≈ 1.3). */
const TOKENS_PER_WORD = 1.33;

/**
 * MoA-Lite's models with the recorded outputs that stand in for them and assumed serving speeds
 * (time to first token, decoding tokens/s: typical of hosted open-model endpoints in 2024).
 */
const PROPOSERS = [
  { name: "Qwen1.5-110B-Chat", outputs: "Qwen1.5-110B-Chat", ttftMs: 600, tokensPerSecond: 30 },
  { name: "Qwen1.5-72B-Chat", outputs: "Qwen1.5-72B-Chat", ttftMs: 500, tokensPerSecond: 40 },
  // No recorded WizardLM-2-8x22B outputs in the shared data: gpt-4-turbo's, of similar length.
  { name: "WizardLM-2-8x22B", outputs: "gpt-4-turbo-2024-04-09", ttftMs: 500, tokensPerSecond: 60 },
  {
    name: "Llama-3-70b-chat-hf",
    outputs: "Meta-Llama-3-70B-Instruct",
    ttftMs: 500,
    tokensPerSecond: 40,
  },
  {
    name: "Mixtral-8x22B-Instruct-v0.1",
    outputs: "Mixtral-8x22B-Instruct-v0.1",
    ttftMs: 500,
    tokensPerSecond: 60,
  },
  { name: "dbrx-instruct", outputs: "dbrx-instruct", ttftMs: 500, tokensPerSecond: 70 },
] as const;
/** MoA-Lite's aggregator (Qwen1.5-72B-Chat) answers with Together-MoA-Lite's final outputs. */
const AGGREGATOR = {
  name: "aggregator-Qwen1.5-72B-Chat",
  outputs: "Together-MoA-Lite",
  ttftMs: 500,
  tokensPerSecond: 40,
} as const;

type ModelPlan = { name: string; outputs: string; ttftMs: number; tokensPerSecond: number };

/** The simulator's behaviour for a model, time-compressed by {@link TIME_SCALE}. */
function simulated(model: ModelPlan): SimulatedModel {
  return {
    latencyMs: model.ttftMs / TIME_SCALE,
    // The simulator counts whitespace words as tokens.
    tokensPerSecond: (model.tokensPerSecond / TOKENS_PER_WORD) * TIME_SCALE,
    recordedOutputs: outputsPath(model.outputs),
  };
}

function outputsPath(model: string): string {
  return sharedDataPath("alpaca_eval", "model_outputs", `${model}.json`);
}

/** The simulator's time for one call: latency, then the whole answer at its pace. */
function callMs(model: ModelPlan, words: number): number {
  const behaviour = simulated(model);
  return behaviour.latencyMs! + (words / behaviour.tokensPerSecond!) * 1000;
}

/**
 * Makespan of an ideal client: every instruction holds one of `slots` for exactly its critical
 * path (slowest proposer + aggregator) and starts the moment a slot frees, in eval-set order.
 */
export function idealMakespanMs(durations: readonly number[], slots: number): number {
  const free = new Array<number>(Math.min(slots, durations.length)).fill(0);
  let end = 0;
  for (const duration of durations) {
    let slot = 0;
    for (let index = 1; index < free.length; index++) if (free[index]! < free[slot]!) slot = index;
    free[slot]! += duration;
    end = Math.max(end, free[slot]!);
  }
  return end;
}

const benchmark: Benchmark = {
  id: "p3",
  // Each run is a whole batch (~35 s): 3 keep the benchmark under 2 minutes.
  defaultRuns: 3,
  title: `batch throughput and memory (805 AlpacaEval instructions, MoA-Lite, concurrency ${CONCURRENCY})`,
  async run({ runs, log }): Promise<BenchReport> {
    prepareBenchProcess();
    const evalSetPath = sharedDataPath("alpaca_eval", "eval_set.gpt4_1106_preview.json");
    const base = { id: "p3", title: benchmark.title, command: benchCommand("p3", runs) };
    const missing = firstMissing([
      evalSetPath,
      ...[...PROPOSERS, AGGREGATOR].map((model) => outputsPath(model.outputs)),
    ]);
    if (missing) return { ...base, figures: [], notes: [], skipped: `${missing} not found` };

    const instructions = (
      JSON.parse(readFileSync(evalSetPath, "utf8")) as { instruction: string }[]
    ).map((entry) => entry.instruction);
    const sim = await startSimulatorProcess({
      models: Object.fromEntries(
        [...PROPOSERS, AGGREGATOR].map((model) => [model.name, simulated(model)]),
      ),
      clearLogEveryMs: 2_000,
    });
    // Per-instruction reply lengths, counted by the simulator process (this process never loads
    // the recorded outputs, so its memory is the client's alone).
    const words = await sim.replyWords(instructions);
    const criticalPaths = instructions.map(
      (_, index) =>
        Math.max(...PROPOSERS.map((model) => callMs(model, words[model.name]![index]!))) +
        callMs(AGGREGATOR, words[AGGREGATOR.name]![index]!),
    );
    const idealMs = idealMakespanMs(criticalPaths, CONCURRENCY);
    const calls = instructions.length * (PROPOSERS.length + 1);

    try {
      const graph = createMixtureOfAgents({
        proposers: PROPOSERS.map((model) => ({
          id: model.name,
          model: simulatedModel(sim.url, model.name),
        })),
        aggregator: { id: "aggregator", model: simulatedModel(sim.url, AGGREGATOR.name) },
        layers: 2,
      }).compile();

      const batch = async () => {
        let next = 0;
        let failedProposals = 0;
        const worker = async () => {
          while (next < instructions.length) {
            const instruction = instructions[next++]!;
            const result = await graph.invoke({ messages: [new HumanMessage(instruction)] });
            failedProposals += result.proposals.filter(
              (proposal) => proposal.status !== "ok",
            ).length;
          }
        };
        const started = performance.now();
        const cpuBefore = process.cpuUsage();
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        const cpu = process.cpuUsage(cpuBefore);
        return {
          ms: performance.now() - started,
          cpuMs: (cpu.user + cpu.system) / 1000,
          failedProposals,
        };
      };

      const efficiencies: number[] = [];
      const callRates: number[] = [];
      const peaks: number[] = [];
      const cpuPerCall: number[] = [];
      let perBatchPeaks = true;
      for (let run = 0; run < runs; run++) {
        // Each batch's own peak: V8 picks when to run a full GC, so one batch in a few peaks
        // ~100 MiB higher than the others (the live heap after a full GC is ~55 MiB either way).
        const perBatchPeak = resetPeakRss();
        const sampler = sampleRss();
        const memoryTimer = process.env.BENCH_TRACE_MEMORY
          ? setInterval(() => {
              const usage = process.memoryUsage();
              log(
                `rss ${mebibytes(usage.rss)} heapTotal ${mebibytes(usage.heapTotal)} heapUsed ${mebibytes(usage.heapUsed)} external ${mebibytes(usage.external)} arrayBuffers ${mebibytes(usage.arrayBuffers)}`,
              );
            }, 5_000)
          : undefined;
        const { ms, cpuMs, failedProposals } = await batch();
        const sampledPeak = sampler.stop();
        clearInterval(memoryTimer);
        // Without the reset, the kernel's high-water mark covers the process life (worst run so far).
        perBatchPeaks &&= perBatchPeak;
        const peak = Math.max(peakRssFromKernel() ?? 0, sampledPeak);
        if (failedProposals > 0)
          throw new Error(`${failedProposals} proposals failed; the figures would be meaningless`);
        efficiencies.push((idealMs / ms) * 100);
        callRates.push(calls / (ms / 1000));
        peaks.push(mebibytes(peak));
        cpuPerCall.push(cpuMs / calls);
        log(
          `run ${run + 1}/${runs}: ${(ms / 1000).toFixed(1)} s (ideal ${(idealMs / 1000).toFixed(1)} s), ${callRates.at(-1)!.toFixed(1)} calls/s, ` +
            `peak RSS ${peaks.at(-1)} MiB, client CPU ${cpuPerCall.at(-1)!.toFixed(2)} ms per call`,
        );
      }
      const limit = calls / (idealMs / 1000);
      return {
        ...base,
        figures: [
          {
            label: "achieved / simulator's limit (calls per second)",
            value: median(efficiencies),
            unit: "%",
            digits: 1,
            target: { comparison: ">=", value: 90 },
            runs: efficiencies,
          },
          {
            label: "achieved calls per second",
            value: median(callRates),
            unit: "calls/s",
            digits: 1,
            runs: callRates,
          },
          { label: "simulator's limit", value: limit, unit: "calls/s", digits: 1 },
          {
            label: "client CPU per call (whole process)",
            value: median(cpuPerCall),
            unit: "ms",
            runs: cpuPerCall,
          },
          {
            label: perBatchPeaks ? "peak RSS (median of the batches' peaks)" : "peak RSS",
            value: perBatchPeaks ? median(peaks) : Math.max(...peaks),
            unit: "MiB",
            digits: 0,
            target: { comparison: "<=", value: 400 },
            runs: peaks,
          },
          { label: "peak RSS, worst batch", value: Math.max(...peaks), unit: "MiB", digits: 0 },
        ],
        notes: [
          `${instructions.length} instructions × ${PROPOSERS.length + 1} calls = ${calls} calls per batch; ${runs} batches; peak RSS of a batch = max of /proc/self/status VmHWM (reset before each batch through /proc/self/clear_refs${perBatchPeaks ? "" : ", which failed here: each figure is the peak so far"}) and 50 ms RSS samples (whole process, simulator excluded: it runs in a child process)`,
          `limit = calls / ideal makespan, ideal makespan ${(idealMs / 1000).toFixed(1)} s = each instruction holding one of ${CONCURRENCY} slots for exactly its critical path ` +
            `(slowest of its 6 proposer calls + its aggregator call, as the simulator times them: latency + words ÷ pace), started in eval-set order as soon as a slot frees — what a client with zero overhead would achieve`,
          `replies: each model's recorded AlpacaEval output for the instruction (../shared/data/alpaca_eval/model_outputs; WizardLM-2-8x22B has none there, gpt-4-turbo-2024-04-09's stand in; the aggregator answers with Together-MoA-Lite's outputs)`,
          `pace: time to first token / decoding speed assumed per model (${[...PROPOSERS, AGGREGATOR].map((model) => `${model.name} ${model.ttftMs} ms, ${model.tokensPerSecond} tok/s`).join("; ")}); ` +
            `${TOKENS_PER_WORD} tokens per word; the whole run is time-compressed ${TIME_SCALE}× (latencies ÷ ${TIME_SCALE}, pace × ${TIME_SCALE}) so a batch takes ~35 s — the client must sustain ${TIME_SCALE}× the real call rate`,
        ],
      };
    } finally {
      await sim.close();
    }
  },
};

export default benchmark;
await runIfMain(benchmark, import.meta.url);
