import { HumanMessage } from "@langchain/core/messages";
import type { Command } from "commander";
import { configToParams } from "../config/config-to-params.js";
import { parseMoaConfig } from "../config/moa-config.js";
import { createMixtureOfAgents } from "../graph/create-mixture-of-agents.js";
import {
  DEMO_AGGREGATOR,
  DEMO_PROPOSERS,
  ensureDemoModels,
  isDemoModelSpec,
} from "../local/demo-models.js";
import type { LocalModelStats } from "../local/local-model-types.js";
import { disposeLocalModels, localEngineStartMs, localModelStats } from "../local/local-models.js";
import { LOCAL_ENVIRONMENT, modelsDirectory } from "../local/models-directory.js";
import { loadChatModel } from "../load-chat-model.js";
import { DEFAULT_PRICES } from "../models/price-table.js";
import { CliError, EXIT } from "./cli-error.js";
import { localThreadsEnvironment, THREADS_HELP } from "./local-threads.js";
import type { CliIo } from "./cli-io.js";
import { withCliRuntime } from "./cli-runtime.js";
import { summarizeRun } from "../config/run-summary.js";
import { consumeRunStream, printAnswerAndSummary } from "./stream-run-output.js";

/** The demo's question when none is given. */
export const DEMO_PROMPT = "Why would several language models answer better than one?";

interface DemoFlags {
  proposers?: string;
  aggregator?: string;
  layers?: string;
  samples?: string;
  temperature?: string;
  maxTokens?: string;
  threads?: string;
  json?: boolean;
}

/** Registers `moa demo`: a whole MoA on the embedded engine, offline. */
export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command("demo")
    .description(
      "run a whole Mixture-of-Agents offline on the embedded engine: toy models by default (generated on first run), or your GGUF files with --proposers/--aggregator local:…",
    )
    .argument("[prompt]", "the user prompt", DEMO_PROMPT)
    .option(
      "--proposers <models>",
      `comma-separated models (default: ${DEMO_PROPOSERS.join(",")}, toy weights)`,
    )
    .option(
      "--aggregator <model>",
      `final aggregator (default: ${DEMO_AGGREGATOR} with the toy proposers, else the first proposer)`,
    )
    .option("--layers <n>", "layers including the final aggregation", "3")
    .option("--samples <k>", "parallel samples per proposer (each on its own sequence)")
    .option("--temperature <t>", "sampling temperature of every call")
    .option("--max-tokens <n>", "output token cap of every call", "512")
    .option("--threads <n>", THREADS_HELP)
    .option("--json", "print one JSON object instead of streaming text")
    .action(async (prompt: string, flags: DemoFlags) => {
      io.exitCode = await runDemo(prompt, flags, io);
    });
}

async function runDemo(prompt: string, flags: DemoFlags, io: CliIo): Promise<number> {
  const proposers = flags.proposers
    ?.split(",")
    .map((spec) => spec.trim())
    .filter(Boolean) ?? [...DEMO_PROPOSERS];
  const aggregator =
    flags.aggregator ?? (flags.proposers === undefined ? DEMO_AGGREGATOR : proposers[0]);
  const specs = [...proposers, ...(aggregator ? [aggregator] : [])];
  const toySpecs = specs.filter(isDemoModelSpec);
  const toyOnly = toySpecs.length === specs.length;
  const config = parseMoaConfig(
    {
      proposers,
      aggregator,
      layers: number(flags.layers, "--layers"),
      samples: number(flags.samples, "--samples"),
      temperature: number(flags.temperature, "--temperature"),
      maxTokens: number(flags.maxTokens, "--max-tokens"),
    },
    "moa demo options",
  );
  const threads = localThreadsEnvironment(flags.threads, specs, io.env, toyOnly);

  const directory = modelsDirectory(io.env);
  if (toySpecs.length > 0) {
    const ensured = await ensureDemoModels(directory);
    if (ensured.written.length > 0 && !flags.json) {
      io.stderr(
        `Generated ${ensured.written.length} toy model(s) into ${directory} (${(ensured.totalBytes / 1_000_000).toFixed(1)} MB in all).\n`,
      );
    }
  }
  if (!flags.json) {
    io.stderr(
      toySpecs.length > 0
        ? `TOY WEIGHTS: ${toySpecs.join(", ")} are generated next-token tables, not language models. ` +
            "They show the machinery (GGUF loading, chat templates, one sequence per concurrent call, token streaming, " +
            "MoA layers), not answer quality; every reply is fixed. For real answers pull a GGUF " +
            "(`moa models pull …`) and pass --proposers local:<name> --aggregator local:<name>.\n"
        : `Embedded engine: ${[...new Set(specs)].join(", ")} on this machine's CPU.\n`,
    );
  }

  // `local:` models are priced at $0 by the table itself (they run on this machine).
  const prices = DEFAULT_PRICES;

  const started = performance.now();
  return withCliRuntime({ close: disposeLocalModels }, io, async (runtime) => {
    const env = {
      ...runtime.env,
      [LOCAL_ENVIRONMENT.modelsDirectory]: directory,
      ...threads,
    };
    const graph = createMixtureOfAgents(
      configToParams(config, (spec, sampling) => loadChatModel(spec, { env, ...sampling }), prices),
    ).compile();
    const stream = await graph.stream(
      { messages: [new HumanMessage(prompt)] },
      { streamMode: ["messages", "custom", "values"] },
    );
    const run = await consumeRunStream(stream, io, {
      json: flags.json === true,
      answerRoles: ["aggregator", "ranker"],
    });
    const wallTimeMs = performance.now() - started;
    const { final, answer } = run;
    const summary = summarizeRun(final, config, prices, wallTimeMs);
    const engine = await localModelStats();
    if (flags.json) {
      io.stdout(
        `${JSON.stringify(
          {
            answer,
            toyWeights: toySpecs.length > 0,
            config,
            proposals: final.proposals,
            usage: summary.usage,
            engine: { startMs: localEngineStartMs(), models: engine },
            wallTimeMs,
          },
          null,
          2,
        )}\n`,
      );
      return EXIT.ok;
    }
    printAnswerAndSummary(io, run, summary);
    io.stdout(`${describeEngine(engine, localEngineStartMs())}\n`);
    if (toySpecs.length > 0) {
      io.stdout("(toy weights: the text above is a fixed table's output, not an answer)\n");
    }
    return EXIT.ok;
  });
}

/** One paragraph on what the engine did: start, loads, sequences, speeds. */
function describeEngine(engine: LocalModelStats[], startMs: number | undefined): string {
  const models = engine.map(
    (model) =>
      `  ${model.modelPath.split(/[\\/]/).at(-1)}: ${model.chatWrapper} chat template (resolved in ${seconds(model.templateMs)}), loaded in ${seconds(model.loadMs)}, ` +
      `${model.calls} call(s), up to ${model.peakLeases} of ${model.sequences} sequences at once`,
  );
  const sum = (field: keyof LocalModelStats) =>
    engine.reduce((total, model) => total + Number(model[field]), 0);
  const rate = (tokens: number, ms: number) =>
    ms > 0 ? `${Math.round(tokens / (ms / 1000))} tokens/s` : "-";
  return [
    `engine: node-llama-cpp started in ${startMs === undefined ? "?" : seconds(startMs)}; each model loaded once:`,
    ...models,
    `  prompts: ${sum("promptTokens")} tokens at ${rate(sum("promptTokens"), sum("promptMs"))} per call · ` +
      `generation: ${sum("outputTokens")} tokens at ${rate(sum("outputTokens"), sum("generationMs"))} per call`,
  ].join("\n");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function number(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) {
    throw new CliError(`${flag} must be a number, got "${raw}".`);
  }
  return value;
}
