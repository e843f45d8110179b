import { setMaxListeners } from "node:events";
import { HumanMessage, type AIMessageChunk } from "@langchain/core/messages";
import type { Command } from "commander";
import { configToParams } from "../config/config-to-params.js";
import { parseMoaConfig, type ResolvedMoaConfig } from "../config/moa-config.js";
import { createMixtureOfAgents } from "../graph/create-mixture-of-agents.js";
import type { MoaCallMetadata } from "../graph/model-call-config.js";
import { isProposalEvent } from "../graph/stream-events.js";
import { loadChatModel, messageText, type ProviderEnvironment } from "../models/index.js";
import { DEFAULT_PRICES } from "../models/price-table.js";
import type { MoaState } from "../state/moa-state.js";
import { startSimulator } from "../testing/simulator/index.js";
import { EXIT } from "./cli-error.js";
import { formatRunSummary } from "./format-run-summary.js";
import { addModelOptions, flagsToConfig, type ModelFlags } from "./model-options.js";
import { summarizeRun } from "./run-summary.js";
import { simulatedEnvironment } from "./simulated-environment.js";
import type { CliIo } from "./cli-io.js";

interface RunFlags extends ModelFlags {
  json?: boolean;
  simulate?: boolean;
}

/** Registers `moa run`. */
export function registerRunCommand(program: Command, io: CliIo): void {
  addModelOptions(
    program
      .command("run")
      .description("answer a prompt with a Mixture-of-Agents, streaming the final answer")
      .argument("<prompt>", "the user prompt"),
  )
    .option("--json", "print one JSON object (answer, proposals, usage, …) instead of text")
    .option(
      "--simulate",
      "run against the in-process loopback simulator (synthetic answers, no API keys)",
    )
    .action(async (prompt: string, flags: RunFlags) => {
      io.exitCode = await runMoa(prompt, flags, io);
    });
}

async function runMoa(prompt: string, flags: RunFlags, io: CliIo): Promise<number> {
  const config = parseMoaConfig(flagsToConfig(flags), "moa run options");
  // Six proposers × samples of parallel fetches each add abort listeners to shared signals.
  setMaxListeners(256);
  const simulator = flags.simulate ? await startSimulator(SIMULATION) : undefined;
  try {
    if (simulator && !flags.json) {
      io.stderr(
        `SIMULATED run: synthetic answers from a loopback OpenAI-compatible simulator at ${simulator.url} ` +
          "(real HTTP client, no API keys; costs are what these tokens would cost at list prices).\n",
      );
    }
    const env: ProviderEnvironment = simulator
      ? simulatedEnvironment(simulator.url, io.env)
      : io.env;
    const graph = createMixtureOfAgents(
      configToParams(config, (spec, sampling) => loadChatModel(spec, { env, ...sampling })),
    ).compile();
    return await streamRun(graph, prompt, config, flags, io, simulator !== undefined);
  } finally {
    await simulator?.close();
  }
}

async function streamRun(
  graph: ReturnType<ReturnType<typeof createMixtureOfAgents>["compile"]>,
  prompt: string,
  config: ResolvedMoaConfig,
  flags: RunFlags,
  io: CliIo,
  simulated: boolean,
): Promise<number> {
  const started = performance.now();
  let state: MoaState | undefined;
  let streamedAnswer = false;
  const stream = await graph.stream(
    { messages: [new HumanMessage(prompt)] },
    { streamMode: ["messages", "custom", "values"], context: {} },
  );
  for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
    if (mode === "values") state = chunk as MoaState;
    else if (mode === "messages" && !flags.json) {
      const [message, metadata] = chunk as [AIMessageChunk, Partial<MoaCallMetadata>];
      if (metadata.moa_role === "aggregator") {
        const text = messageText(message);
        if (text) {
          io.stdout(text);
          streamedAnswer = true;
        }
      }
    } else if (
      mode === "custom" &&
      !flags.json &&
      isProposalEvent(chunk) &&
      chunk.type === "proposal-end"
    ) {
      if (chunk.status === "error") {
        io.stderr(
          `! layer ${chunk.layer} ${chunk.proposerId}#${chunk.sample} failed: ${chunk.error}\n`,
        );
      }
    }
  }
  const wallTimeMs = performance.now() - started;
  const final = state!;
  const answer = messageText(final.messages.at(-1)!);
  const summary = summarizeRun(final, config, DEFAULT_PRICES, wallTimeMs);
  if (flags.json) {
    io.stdout(
      `${JSON.stringify(
        {
          answer,
          simulated,
          config,
          proposals: final.proposals,
          aggregation: final.aggregation ?? null,
          usage: {
            ...summary.usage,
            costUsd: summary.costUsd,
            costComplete: summary.unpricedModels.length === 0,
            unpricedModels: summary.unpricedModels,
          },
          wallTimeMs,
        },
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  if (!streamedAnswer) io.stdout(answer);
  io.stdout("\n\n");
  io.stdout(`${formatRunSummary(summary, { color: io.color })}\n`);
  return EXIT.ok;
}

/** Simulated latencies and lengths: enough to watch the layers run, fast enough for a demo. */
const SIMULATION = {
  defaultModel: {
    latencyMs: { distribution: "uniform" as const, min: 150, max: 450 },
    tokensPerSecond: 400,
    outputTokens: 40,
  },
};
