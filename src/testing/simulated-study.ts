import { createHash } from "node:crypto";
import type { LatencySpec } from "./simulator/latency.js";
import type { ModelBehaviour } from "./simulator/model-behaviour.js";
import type { SimulatorRequestInfo } from "./simulator/request-info.js";
import { buildSyntheticReply } from "./simulator/synthetic-reply.js";

/** Every simulated judge reply of a study starts with this, so it is never mistaken for a real one. */
export const SIMULATED_STUDY_JUDGE_LABEL = "[simulated judge: synthetic, not a real evaluation]";

// `[sim:<model>] call=<n> refs=<k> turns=… temp=… | <excerpt> | models=<d> refq=<q> …`: the
// study's synthetic answers name how many distinct models wrote the references they saw, and the
// references' mean quality.
const SYNTHETIC_HEADER =
  /\[sim:([^\]\n]+)\] call=\d+ refs=(\d+)[^|\n]*\|[^|\n]*\|(?: models=(\d+) refq=([\d.]+))?/g;

/**
 * The synthetic quality the simulated study judges give an answer, in [0.05, 0.95]: higher with
 * more references the answering model saw (`refs=` of the synthetic reply, counted up to 5), with
 * more distinct models among them (`models=`) and with better references (`refq=`, their mean
 * quality), plus a fixed per-model offset in ±0.1. It depends on nothing else (not on call
 * order), so every variant's score is deterministic. `undefined` for text that is not a
 * synthetic reply.
 *
 * @example
 * ```ts
 * syntheticAnswerQuality("[sim:qwen] call=4 refs=3 turns=1 temp=0.7 | … |"); // 0.61 + offset(qwen)
 * ```
 */
export function syntheticAnswerQuality(text: string): number | undefined {
  const match = new RegExp(SYNTHETIC_HEADER.source).exec(text);
  if (match === null) return undefined;
  return qualityOf(match);
}

function qualityOf(header: RegExpExecArray | RegExpMatchArray): number {
  const model = header[1]!;
  const references = Math.min(Number(header[2]), 5);
  const models = Math.min(Number(header[3] ?? 0), references);
  const referenceQuality = header[4] === undefined ? 0.5 : Number(header[4]);
  const digest = createHash("sha256").update(model).digest().readUInt32BE(0);
  const offset = ((digest % 1000) / 1000 - 0.5) * 0.2;
  const quality =
    0.25 +
    0.08 * references +
    0.05 * Math.max(0, models - 1) +
    (references > 0 ? 0.4 * (referenceQuality - 0.5) : 0) +
    offset;
  return Math.min(0.95, Math.max(0.05, quality));
}

/** Options of {@link simulatedStudyBehaviour}. */
export interface SimulatedStudyOptions {
  /** Words of every synthetic answer. @default 48 */
  outputTokens?: number;
  /** Time to first byte of every call. @default uniform 5–25 ms */
  latencyMs?: LatencySpec;
  /** Streaming pace (also delays non-streamed answers by their length). @default 4000 */
  tokensPerSecond?: number;
}

/**
 * How the loopback simulator plays **every** model of an offline ablation study — proposers,
 * aggregators, the LLM-ranker and the benchmark judges — recognising each request by its content:
 *
 * - AlpacaEval judge (a request asking for `logprobs`): top logprobs over `m` / `M` with the
 *   evaluated answer's {@link syntheticAnswerQuality} as the probability it wins, whichever
 *   position it was switched to;
 * - LLM-ranker (the rank prompt's numbered outputs): the number of the best candidate by the same
 *   quality;
 * - MT-Bench judge (`[[rating]]` format): `Rating: [[1 + 9q]]` for the last answer shown;
 * - FLASK judge (a rubric with `Score 1:` lines): a score dict, `1 + 4q` per skill;
 * - anything else: the simulator's synthetic reply (`[sim:<model>] call=… refs=<k> …`).
 *
 * Scores therefore differ between variants deterministically (more references and better-placed
 * models score higher), which is what an offline study and its tests need. The numbers mean
 * nothing about real models.
 *
 * @example
 * ```ts
 * const simulator = await startSimulator({ defaultModel: simulatedStudyBehaviour() });
 * ```
 */
export function simulatedStudyBehaviour(options: SimulatedStudyOptions = {}): ModelBehaviour {
  const outputTokens = options.outputTokens ?? 48;
  return {
    latencyMs: options.latencyMs ?? { distribution: "uniform", min: 5, max: 25 },
    tokensPerSecond: options.tokensPerSecond ?? 4000,
    reply: (request) => {
      if (asksForLogprobs(request)) return alpacaPreferenceOfM(request) >= 0.5 ? "m" : "M";
      const text = lastUserText(request);
      const candidates = rankCandidates(text);
      if (candidates !== undefined) return String(bestCandidate(candidates));
      if (text.includes('"[[rating]]"')) {
        const quality = lastQuality(text) ?? 0.5;
        return `${SIMULATED_STUDY_JUDGE_LABEL} Rating: [[${Math.round(1 + 9 * quality)}]]`;
      }
      const skills = rubricSkills(text);
      if (skills.length > 0) {
        const quality = lastQuality(text) ?? 0.5;
        const scores = skills.map((skill) => `'${skill}': ${Math.round(1 + 4 * quality)}`);
        return `${SIMULATED_STUDY_JUDGE_LABEL}\n${skills.map((skill) => `${skill}: not assessed.`).join("\n")}\n\n{${scores.join(", ")}}`;
      }
      return withDistinctModels(buildSyntheticReply(request, outputTokens), request);
    },
    logprobs: (request) => {
      const p = Math.min(0.999, Math.max(0.001, alpacaPreferenceOfM(request)));
      return [
        { token: "m", logprob: Math.log(p) },
        { token: "M", logprob: Math.log(1 - p) },
      ];
    },
  };
}

/**
 * Inserts `models=<d> refq=<q>` after the synthetic header: the number of distinct models whose
 * answers the request carried as references (so a judge can tell six models from one model
 * sampled six times) and their mean quality (so better proposers make better aggregates).
 */
function withDistinctModels(reply: string, request: SimulatorRequestInfo): string {
  const system = request.messages
    .filter((message) => message.role === "system" || message.role === "developer")
    .map((message) => message.content)
    .join("\n");
  const references = [...system.matchAll(SYNTHETIC_HEADER)];
  const models = new Set(references.map((match) => match[1]));
  const meanQuality = references.length
    ? references.reduce((total, match) => total + qualityOf(match), 0) / references.length
    : 0.5;
  const headerEnd = reply.indexOf("|", reply.indexOf("|") + 1) + 1;
  if (headerEnd <= 0) return reply;
  const marker = ` models=${models.size} refq=${meanQuality.toFixed(3)}`;
  return `${reply.slice(0, headerEnd)}${marker}${reply.slice(headerEnd)}`;
}

function asksForLogprobs(request: SimulatorRequestInfo): boolean {
  return request.body.logprobs === true;
}

function lastUserText(request: SimulatorRequestInfo): string {
  return request.messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
}

/**
 * P(the judge names `m`): the synthetic answer's quality when it sits in the `m` slot, one minus
 * it in the `M` slot; 0.5 when neither output is synthetic.
 */
function alpacaPreferenceOfM(request: SimulatorRequestInfo): number {
  const text = request.messages.map((message) => message.content).join("\n");
  const secondSlot = text.indexOf('"model_identifier": "M"');
  const header = new RegExp(SYNTHETIC_HEADER.source).exec(text);
  if (header === null) return 0.5;
  const quality = qualityOf(header);
  const inSecondSlot = secondSlot >= 0 && header.index > secondSlot;
  return inSecondSlot ? 1 - quality : quality;
}

function lastQuality(text: string): number | undefined {
  const matches = [...text.matchAll(SYNTHETIC_HEADER)];
  const last = matches.at(-1);
  return last ? qualityOf(last) : undefined;
}

/** The outputs of an LLM-ranker prompt (a JSON list of `{ model_identifier, output }`), if it is one. */
function rankCandidates(text: string): string[] | undefined {
  if (!text.includes("## Best Model Identifier")) return undefined;
  const start = text.indexOf("\n[");
  const end = text.indexOf("]\n\n## Task");
  if (start < 0 || end < 0) return undefined;
  try {
    const outputs = JSON.parse(text.slice(start + 1, end + 1)) as { output?: unknown }[];
    return outputs.map((entry) => String(entry.output ?? ""));
  } catch {
    return undefined;
  }
}

function bestCandidate(candidates: readonly string[]): number {
  let best = 0;
  let bestQuality = Number.NEGATIVE_INFINITY;
  candidates.forEach((candidate, index) => {
    const quality = syntheticAnswerQuality(candidate) ?? 0;
    if (quality > bestQuality) {
      best = index;
      bestQuality = quality;
    }
  });
  return best + 1;
}

/** The skill names of a FLASK rubric block: each `"\nName: criteria"` line followed by `Score 1:`. */
function rubricSkills(prompt: string): string[] {
  const skills: string[] = [];
  for (const match of prompt.matchAll(/^([A-Z][A-Za-z ]+): .*\nScore 1: /gm)) {
    if (match[1] && !skills.includes(match[1])) skills.push(match[1]);
  }
  return skills;
}
