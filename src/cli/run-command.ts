import type { BaseMessage } from "@langchain/core/messages";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import type { Command } from "commander";
import { configToParams } from "../config/config-to-params.js";
import { parseMoaConfig, type ResolvedMoaConfig } from "../config/moa-config.js";
import { createMixtureOfAgents } from "../graph/create-mixture-of-agents.js";
import { type ProviderEnvironment } from "../models/index.js";
import { loadChatModel } from "../load-chat-model.js";
import type { PriceRow } from "../models/price-table.js";
import { loadPriceTable, PRICE_FILE_HELP } from "./price-file.js";
import { sumUsage } from "../state/proposal.js";
import type { MoaState } from "../state/moa-state.js";
import { checkpointPath } from "./checkpoint-store.js";
import { openThreadStore, withCliRuntime, type CliRuntimeOptions } from "./cli-runtime.js";
import { CliError, EXIT } from "./cli-error.js";
import { localThreadsEnvironment, THREADS_HELP } from "./local-threads.js";
import { describeRunConfiguration } from "./config-description.js";
import { warnContextOverflow } from "./context-warnings.js";
import { describeCliFailure } from "./flag-errors.js";
import { readPromptMessages } from "./prompt-input.js";
import type { CliIo } from "./cli-io.js";
import { addModelOptions, flagsToConfig, type ModelFlags } from "./model-options.js";
import { summarizeRun } from "../config/run-summary.js";
import { consumeRunStream, printAnswerAndSummary } from "./stream-run-output.js";

interface OutputFlags {
  json?: boolean;
  simulate?: boolean;
  checkpointDb?: string;
}

interface RunFlags extends ModelFlags, OutputFlags {
  thread?: string;
  prices?: string;
  threads?: string;
  promptFile?: string;
  system?: string;
}

/** Registers `moa run` and `moa resume`. */
export function registerRunCommand(program: Command, io: CliIo): void {
  addModelOptions(
    program
      .command("run")
      .description("answer a prompt with a Mixture-of-Agents, streaming the final answer")
      .argument("[prompt]", 'the user prompt; "-" reads it from stdin'),
  )
    .option(
      "--prompt-file <path>",
      'read the prompt from a file ("-" for stdin), for prompts too long for the command line',
    )
    .option("--system <text>", "a system prompt for the conversation (a new thread only)")
    .option(
      "--thread <id>",
      "keep the conversation in a durable thread (SQLite); continue it with more runs",
    )
    .option(
      "--checkpoint-db <path>",
      "SQLite file for --thread (default: $MOA_CHECKPOINT_DB or ~/.local/state/langgraph-moa/checkpoints.sqlite)",
    )
    .option("--prices <file>", PRICE_FILE_HELP)
    .option("--threads <n>", THREADS_HELP)
    .option("--json", "print one JSON object (answer, proposals, usage, …) instead of text")
    .option(
      "--simulate",
      "run against the in-process loopback simulator (synthetic answers, no API keys)",
    )
    .action(async (prompt: string | undefined, flags: RunFlags) => {
      const seen: RunProgress = {};
      try {
        const config = parseMoaConfig(flagsToConfig(flags), "moa run options");
        const prices = loadPriceTable(flags.prices);
        const threads = localThreadsEnvironment(flags.threads, configSpecs(config), io.env);
        const messages = await readPromptMessages(
          { argument: prompt, promptFile: flags.promptFile, system: flags.system },
          io,
        );
        io.exitCode = await withCliRuntime(runtimeOptions(flags), io, async ({ env, store }) => {
          const graph = buildGraph(config, { ...env, ...threads }, store?.checkpointer, prices);
          let history: BaseMessage[] = [];
          if (flags.thread && store) {
            const state = await graph.getState(threadConfig(flags.thread));
            if (state.next.length > 0) {
              throw new CliError(
                `thread "${flags.thread}" has an unfinished turn (waiting on: ${state.next.join(", ")}). ` +
                  `Finish it with \`moa resume --thread ${flags.thread}\`, or start a new thread.`,
              );
            }
            history = (state.values as { messages?: BaseMessage[] }).messages ?? [];
            if (flags.system !== undefined && history.length > 0) {
              throw new CliError(
                `--system starts a conversation, and thread "${flags.thread}" already has one; leave it out or start a new thread.`,
                EXIT.usage,
                { flag: "--system" },
              );
            }
            store.saveConfig(flags.thread, toStoredConfig(config));
          }
          warnContextOverflow(config, [...history, ...messages], prices, io);
          seen.config = config;
          return streamRun(graph, { messages }, config, flags, io, prices, seen);
        });
      } catch (error) {
        if (flags.json) printJsonFailure(error, seen, io);
        throw error;
      }
    });

  program
    .command("resume")
    .description("finish an interrupted `moa run --thread` turn without repeating finished calls")
    .requiredOption("--thread <id>", "the thread to resume")
    .option("--checkpoint-db <path>", "SQLite file of the thread")
    .option("--json", "print one JSON object instead of text")
    .option("--simulate", "resume against the in-process loopback simulator")
    .action(async (flags: OutputFlags & { thread: string }) => {
      const seen: RunProgress = {};
      try {
        io.exitCode = await withCliRuntime(
          runtimeOptions(flags, true),
          io,
          async ({ env, store }) => {
            const stored = store!.loadConfig(flags.thread);
            if (stored === undefined) {
              throw new CliError(
                `no thread "${flags.thread}" in ${checkpointPath(flags.checkpointDb, io.env)}.`,
              );
            }
            const config = parseMoaConfig(stored, `thread "${flags.thread}" configuration`);
            const graph = buildGraph(
              config,
              { ...env, ...localThreadsEnvironment(undefined, configSpecs(config), env) },
              store!.checkpointer,
              loadPriceTable(undefined),
            );
            const state = await graph.getState(threadConfig(flags.thread));
            if (state.next.length === 0) {
              throw new CliError(
                `thread "${flags.thread}" has no unfinished turn; continue it with \`moa run --thread ${flags.thread} "<prompt>"\`.`,
              );
            }
            seen.config = config;
            return streamRun(
              graph,
              null,
              config,
              { ...flags, thread: flags.thread },
              io,
              loadPriceTable(undefined),
              seen,
            );
          },
        );
      } catch (error) {
        // Like `moa run --json`: one object on stdout on failure too, the exit code unchanged.
        if (flags.json) printJsonFailure(error, seen, io);
        throw error;
      }
    });

  program
    .command("unlock")
    .description(
      "remove a thread's lock left by a moa process that is gone (e.g. one on another host)",
    )
    .requiredOption("--thread <id>", "the thread to unlock")
    .option("--checkpoint-db <path>", "SQLite file of the thread")
    .action(async (flags: { thread: string; checkpointDb?: string }) => {
      const store = await openThreadStore(flags.checkpointDb, io);
      try {
        const holder = store.forceUnlock(flags.thread);
        io.stdout(
          holder === undefined
            ? `thread "${flags.thread}" was not locked.\n`
            : `removed the lock of thread "${flags.thread}" (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}).\n`,
        );
      } finally {
        store.close();
      }
    });
}

type MoaGraph = ReturnType<typeof buildGraph>;

function configSpecs(config: ResolvedMoaConfig): string[] {
  return [...config.proposers, config.aggregator];
}

function buildGraph(
  config: ResolvedMoaConfig,
  env: ProviderEnvironment,
  checkpointer: BaseCheckpointSaver | undefined,
  prices: readonly PriceRow[],
) {
  return createMixtureOfAgents(
    configToParams(config, (spec, sampling) => loadChatModel(spec, { env, ...sampling }), prices),
  ).compile({ checkpointer });
}

function threadConfig(thread: string) {
  return { configurable: { thread_id: thread } };
}

/**
 * What a run needs around the graph: the simulator for `--simulate`, and the SQLite
 * checkpointer (with the thread's lock) for threads.
 */
function runtimeOptions(
  flags: OutputFlags & { thread?: string },
  needsCheckpointer = false,
): CliRuntimeOptions {
  return {
    ...(flags.simulate ? { simulation: SIMULATION } : {}),
    banner: (url) =>
      flags.json
        ? undefined
        : `SIMULATED run: synthetic answers from a loopback OpenAI-compatible simulator at ${url} ` +
          "(real HTTP client, no API keys; costs are what these tokens would cost at list prices).\n",
    ...(flags.thread || needsCheckpointer
      ? { store: { checkpointDb: flags.checkpointDb, thread: flags.thread } }
      : {}),
  };
}

async function streamRun(
  graph: MoaGraph,
  input: { messages: BaseMessage[] } | null,
  config: ResolvedMoaConfig,
  flags: OutputFlags & { thread?: string },
  io: CliIo,
  prices: readonly PriceRow[],
  seen: RunProgress = {},
): Promise<number> {
  const started = performance.now();
  const stream = await graph.stream(input, {
    streamMode: ["messages", "custom", "values"],
    ...(flags.thread
      ? {
          ...threadConfig(flags.thread),
          // Each finished proposer is on disk before the next step: a killed run resumes
          // without repeating it.
          durability: "sync" as const,
        }
      : {}),
  });
  const run = await consumeRunStream(stream, io, {
    json: flags.json === true,
    answerRoles: ["aggregator"],
    seen,
  });
  const wallTimeMs = performance.now() - started;
  const { final, answer } = run;
  const summary = summarizeRun(final, config, prices, wallTimeMs);
  if (flags.json) {
    io.stdout(
      `${JSON.stringify(
        {
          answer,
          simulated: flags.simulate === true,
          thread: flags.thread ?? null,
          config: { ...config, description: describeRunConfiguration(config) },
          proposals: final.proposals,
          aggregation: final.aggregation ?? null,
          usage: {
            ...summary.usage,
            costUsd: summary.costUsd,
            costComplete: summary.unpricedModels.length === 0,
            unpricedModels: summary.unpricedModels,
            localModels: summary.localModels,
          },
          wallTimeMs,
        },
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  printAnswerAndSummary(io, run, summary);
  return EXIT.ok;
}

/** What a run got through before it failed (the last state streamed). */
interface RunProgress {
  state?: MoaState;
  config?: ResolvedMoaConfig;
}

/**
 * `--json` output of a failed run: one object with the error (`type`, `message`, the offending
 * `flag`) and whatever finished (`proposals`, `usage`). The error still goes to stderr and sets
 * the exit code as without `--json`.
 */
function printJsonFailure(error: unknown, seen: RunProgress, io: CliIo): void {
  const { exitCode: _exitCode, ...failure } = describeCliFailure(error);
  const proposals = seen.state?.proposals ?? [];
  const usage = sumUsage([
    ...proposals.map((proposal) => proposal.usage),
    seen.state?.aggregation?.usage,
  ]);
  io.stdout(
    `${JSON.stringify(
      {
        error: { ...failure, flag: failure.flag ?? null },
        config: seen.config
          ? { ...seen.config, description: describeRunConfiguration(seen.config) }
          : null,
        proposals,
        aggregation: seen.state?.aggregation ?? null,
        usage,
      },
      null,
      2,
    )}\n`,
  );
}

/** The configuration as flags would give it, so a resumed thread rebuilds the same models. */
function toStoredConfig(config: ResolvedMoaConfig) {
  const { description: _description, ...stored } = config;
  return Object.fromEntries(Object.entries(stored).filter(([, value]) => value !== undefined));
}

/** Simulated latencies and lengths: enough to watch the layers run, fast enough for a demo. */
export const SIMULATION = {
  defaultModel: {
    latencyMs: { distribution: "uniform" as const, min: 150, max: 450 },
    tokensPerSecond: 400,
    outputTokens: 40,
  },
};
