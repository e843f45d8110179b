import { describe, expect, it } from "vitest";
import {
  SIMULATED_STUDY_JUDGE_LABEL,
  simulatedStudyBehaviour,
  syntheticAnswerQuality,
} from "../../../src/testing/simulated-study.js";
import { buildRankMessages } from "../../../src/prompts/rank-prompt.js";
import { injectReferences } from "../../../src/prompts/inject-references.js";
import { HumanMessage } from "@langchain/core/messages";
import type { SimulatorRequestInfo } from "../../../src/testing/index.js";
import { describeChatRequest } from "../../../src/testing/simulator/request-info.js";

function request(
  messages: { role: string; content: string }[],
  body: Record<string, unknown> = {},
  model = "m",
): SimulatorRequestInfo {
  return describeChatRequest({ body: { model, messages, ...body }, model, messages }, 0);
}

const behaviour = simulatedStudyBehaviour();
const reply = (info: SimulatorRequestInfo) =>
  (behaviour.reply as (request: SimulatorRequestInfo) => string)(info);
const answer = (model: string, refs: number, models = 0, refq = 0.5) =>
  `[sim:${model}] call=0 refs=${refs} turns=1 temp=0.7 | question | models=${models} refq=${refq} lorem`;

describe("syntheticAnswerQuality", () => {
  it("grows with references, distinct models and better references, independent of call order", () => {
    const base = syntheticAnswerQuality(answer("m", 0))!;
    expect(syntheticAnswerQuality(answer("m", 3, 1))).toBeGreaterThan(base);
    expect(syntheticAnswerQuality(answer("m", 3, 3))).toBeGreaterThan(
      syntheticAnswerQuality(answer("m", 3, 1))!,
    );
    expect(syntheticAnswerQuality(answer("m", 3, 3, 0.8))).toBeGreaterThan(
      syntheticAnswerQuality(answer("m", 3, 3, 0.4))!,
    );
    expect(syntheticAnswerQuality(answer("m", 3, 3).replace("call=0", "call=41"))).toBe(
      syntheticAnswerQuality(answer("m", 3, 3)),
    );
    expect(syntheticAnswerQuality("a real answer")).toBeUndefined();
  });
});

describe("simulatedStudyBehaviour", () => {
  it("answers proposers with a synthetic reply naming the distinct models it was shown", () => {
    const messages = injectReferences(
      [new HumanMessage("Why?")],
      [answer("a", 0), answer("b", 0), answer("a", 0)],
    );
    const text = reply(
      request(
        messages.map((message) => ({
          role: message.getType() === "system" ? "system" : "user",
          content: String(message.content),
        })),
      ),
    );
    expect(text).toMatch(
      /^\[sim:m\] call=0 refs=3 turns=1 temp=default \| Why\? \| models=2 refq=\d\.\d{3} /,
    );
  });

  it("plays the AlpacaEval judge from the answer's quality, whichever slot it is in", () => {
    const judge = (first: string, second: string) =>
      request(
        [
          {
            role: "user",
            content: `{"model_identifier": "m", "output": """${first}"""}, {"model_identifier": "M", "output": """${second}"""}`,
          },
        ],
        { logprobs: true, top_logprobs: 5 },
      );
    const good = answer("m", 5, 5, 0.9);
    const quality = syntheticAnswerQuality(good)!;
    const pOfM = (info: SimulatorRequestInfo) =>
      Math.exp(behaviour.logprobs!(info).find((entry) => entry.token === "m")!.logprob);
    expect(pOfM(judge(good, "reference"))).toBeCloseTo(quality, 9);
    expect(pOfM(judge("reference", good))).toBeCloseTo(1 - quality, 9);
    expect(reply(judge("reference", good))).toBe("M");
  });

  it("plays the LLM-ranker by naming the best candidate", () => {
    const [system, user] = buildRankMessages({
      query: "q",
      candidates: [answer("a", 0), answer("b", 3, 3), answer("c", 1, 1)],
    });
    expect(
      reply(
        request([
          { role: "system", content: String(system!.content) },
          { role: "user", content: String(user!.content) },
        ]),
      ),
    ).toBe("2");
  });

  it("plays the MT-Bench and FLASK judges with parseable verdicts", () => {
    const mtBench = reply(
      request([
        {
          role: "user",
          content: `rate it "[[rating]]", e.g. "Rating: [[5]]"\n[The Start of Assistant's Answer]\n${answer("m", 5, 5, 0.9)}\n[The End of Assistant's Answer]`,
        },
      ]),
    );
    expect(mtBench).toMatch(/^\[simulated judge: .*\] Rating: \[\[(\d+)\]\]$/);
    const flask = reply(
      request([
        {
          role: "user",
          content: `Readability: clear\nScore 1: bad\nConciseness: short\nScore 1: bad\n${answer("m", 0)}`,
        },
      ]),
    );
    expect(flask.startsWith(SIMULATED_STUDY_JUDGE_LABEL)).toBe(true);
    expect(flask).toMatch(/\{'Readability': [1-5], 'Conciseness': [1-5]\}$/);
  });
});
