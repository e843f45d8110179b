import type { BaseMessage } from "@langchain/core/messages";
import { Client } from "@langchain/langgraph-sdk";
import type { ResolvedMoaConfig } from "../config/moa-config.js";
import { messageText } from "../models/usage.js";
import type { PriceRow } from "../models/price-table.js";
import { runBatchOnServer } from "../remote/run-batch-on-server.js";
import type { MoaState } from "../state/moa-state.js";
import type { MoaRunner } from "./eval-moa-runner.js";
import { summarizeRun } from "../config/run-summary.js";

/**
 * A {@link MoaRunner} that runs each instance on a LangGraph server (`--server`) instead of in
 * process: one stateless run of the deployed `moa` graph per instance, with the configuration
 * sent as the run's `context`. The eval stage's `--concurrency` bounds the runs in flight, so a
 * Platform deployment with many workers does the heavy lifting.
 */
export function createServerMoaRunner(params: {
  url: string;
  config: ResolvedMoaConfig;
  prices: readonly PriceRow[];
  assistantId?: string;
  apiKey?: string;
}): MoaRunner {
  const client = new Client({ apiUrl: params.url, apiKey: params.apiKey ?? null });
  return {
    async answer(messages, options = {}) {
      const config = {
        ...params.config,
        temperature: options.temperature ?? params.config.temperature,
      };
      const [result] = await runBatchOnServer<{ messages: unknown[] }, MoaState>({
        client,
        assistantId: params.assistantId ?? "moa",
        context: serverContext(config),
        inputs: [{ messages: messages.map(toWire) }],
        concurrency: 1,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (result!.status !== "ok") {
        throw new Error(
          result!.status === "error"
            ? `server run failed: ${result!.error}`
            : "server run cancelled",
        );
      }
      const state = result!.output;
      const final = state.messages.at(-1);
      const summary = summarizeRun(state, config, params.prices, result!.latencyMs);
      return {
        output: final ? messageText(final as BaseMessage) : "",
        usage: summary.usage,
        costUsd: summary.costUsd,
      };
    },
  };
}

/** The configuration as the deployed graph's `context` (the serializable fields only). */
function serverContext(config: ResolvedMoaConfig): Record<string, unknown> {
  const { description: _description, ...context } = config;
  return Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined));
}

function toWire(message: BaseMessage): { role: string; content: unknown } {
  const type = message.getType();
  const role = type === "human" ? "user" : type === "ai" ? "assistant" : type;
  return { role, content: message.content };
}
