// The loopback simulator in a process of its own, so its CPU time (JSON parsing, SSE framing,
// timers) and memory (request log, recorded outputs) are not charged to the MoA client being
// measured — as with a real, remote provider. Started by `startSimulatorProcess`; configured
// over the IPC channel.
import { readFileSync } from "node:fs";
import { countTokens, startSimulator, type ModelBehaviour } from "../../src/testing/index.js";
import type {
  SimulatedModel,
  SimulatorProcessConfig,
  SimulatorProcessRequest,
} from "./simulator-process.js";

const recorded = new Map<string, Map<string, string>>();

/** Recorded outputs of a `model_outputs` file, by instruction. */
function recordedOutputs(path: string): Map<string, string> {
  let byInstruction = recorded.get(path);
  if (!byInstruction) {
    const records = JSON.parse(readFileSync(path, "utf8")) as {
      instruction: string;
      output: string;
    }[];
    byInstruction = new Map(records.map((record) => [record.instruction, record.output]));
    recorded.set(path, byInstruction);
  }
  return byInstruction;
}

function behaviourOf(model: SimulatedModel): ModelBehaviour {
  const behaviour: ModelBehaviour = {};
  if (model.latencyMs !== undefined) behaviour.latencyMs = model.latencyMs;
  if (model.tokensPerSecond !== undefined) behaviour.tokensPerSecond = model.tokensPerSecond;
  if (model.outputTokens !== undefined) behaviour.outputTokens = model.outputTokens;
  if (model.recordedOutputs !== undefined) {
    // Answer each instruction with this model's real recorded output for it.
    const byInstruction = recordedOutputs(model.recordedOutputs);
    const fallback = "lorem ".repeat(model.outputTokens ?? 32).trim();
    behaviour.reply = (request) => byInstruction.get(request.lastUserMessage) ?? fallback;
  }
  return behaviour;
}

process.once("message", (message) => {
  void (async () => {
    const config = message as SimulatorProcessConfig;
    const models: Record<string, ModelBehaviour> = {};
    for (const [name, model] of Object.entries(config.models)) models[name] = behaviourOf(model);
    const sim = await startSimulator({ models });
    // The request log keeps every body; a long batch would grow it without bound.
    if (config.clearLogEveryMs) setInterval(() => sim.reset(), config.clearLogEveryMs).unref();
    process.on("message", (next) => {
      const request = next as SimulatorProcessRequest;
      if (request.type === "close") {
        void sim.close().then(() => process.exit(0));
      } else if (request.type === "reply-words") {
        // Words (the simulator's tokens) of each model's reply to each instruction.
        const words: Record<string, number[]> = {};
        for (const [name, model] of Object.entries(config.models)) {
          if (model.recordedOutputs === undefined) continue;
          const byInstruction = recordedOutputs(model.recordedOutputs);
          words[name] = request.instructions.map((instruction) =>
            countTokens(byInstruction.get(instruction) ?? ""),
          );
        }
        process.send!({ type: "reply-words", words });
      }
    });
    process.send!({ type: "ready", url: sim.url });
  })();
});
process.on("disconnect", () => process.exit(0));
