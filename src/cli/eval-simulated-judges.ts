import { createHash } from "node:crypto";
import type { ModelBehaviour, SimulatorRequestInfo } from "../testing/simulator/index.js";
import type { BenchmarkName } from "../eval/benchmarks/registry.js";

/** Every simulated judge reply starts with this, so synthetic judgments are never mistaken for real ones. */
export const SIMULATED_JUDGE_LABEL = "[simulated judge: synthetic, not a real evaluation]";

/**
 * How the loopback simulator plays each benchmark's judge for `moa eval judge --simulate`:
 * deterministic verdicts derived from a hash of the request, in the exact shape the real judge's
 * parser reads, so the whole pipeline (caching, parsing, reports) runs offline.
 *
 * - AlpacaEval 2.0: the first token's top logprobs over `m` / `M` (a hash-derived P(m)), which is
 *   what the weighted judge reads; the one-token reply is the likelier of the two.
 * - MT-Bench: a short review ending in `Rating: [[n]]`, n from 1 to 10.
 * - FLASK: a short review ending in a Python dict with a 1–5 score for each skill the prompt's
 *   rubric names.
 */
export function simulatedJudgeBehaviour(benchmark: BenchmarkName): ModelBehaviour {
  switch (benchmark) {
    case "alpaca-eval":
      return {
        reply: (request) => (probabilityOfM(request) >= 0.5 ? "m" : "M"),
        logprobs: (request) => {
          const p = probabilityOfM(request);
          return [
            { token: "m", logprob: Math.log(p) },
            { token: "M", logprob: Math.log(1 - p) },
          ];
        },
      };
    case "mt-bench":
      return {
        reply: (request) =>
          `${SIMULATED_JUDGE_LABEL} The assistant's answer was not read. Rating: [[${1 + (requestHash(request) % 10)}]]`,
      };
    case "flask":
      return {
        reply: (request) => {
          const skills = rubricSkills(lastUserText(request));
          const hash = requestHash(request);
          const scores = skills.map(
            (skill, index) => `'${skill}': ${1 + ((hash >>> (index * 3)) % 5)}`,
          );
          const feedback = skills.map((skill) => `${skill}: not assessed.`).join("\n");
          return `${SIMULATED_JUDGE_LABEL}\n${feedback}\n\n{${scores.join(", ")}}`;
        },
      };
  }
}

/** A stable 32-bit number from the request's messages. */
function requestHash(request: SimulatorRequestInfo): number {
  const digest = createHash("sha256").update(JSON.stringify(request.messages)).digest();
  return digest.readUInt32BE(0);
}

/** P(m) in [0.05, 0.95], from the request hash. */
function probabilityOfM(request: SimulatorRequestInfo): number {
  return 0.05 + 0.9 * (requestHash(request) / 0xffffffff);
}

function lastUserText(request: SimulatorRequestInfo): string {
  return request.messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
}

/** The skill names of a FLASK rubric block: each `"\nName: criteria"` line followed by `Score 1:`. */
function rubricSkills(prompt: string): string[] {
  const skills: string[] = [];
  for (const match of prompt.matchAll(/^([A-Z][A-Za-z ]+): .*\nScore 1: /gm)) {
    if (match[1] && !skills.includes(match[1])) skills.push(match[1]);
  }
  return skills;
}
