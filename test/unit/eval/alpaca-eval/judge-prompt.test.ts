import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildAlpacaEvalJudgeMessages,
  chatMlToMessages,
  fillAlpacaEvalTemplate,
  loadAlpacaEvalJudgeTemplate,
} from "../../../../src/eval/alpaca-eval/judge-prompt.js";
import {
  readAlpacaEvalAnnotations,
  type AlpacaEvalAnnotation,
} from "../../../../src/eval/alpaca-eval/annotations.js";
import { loadSwitchedOutputs } from "../../../../src/eval/alpaca-eval/position-switch.js";
import { sharedDataPath } from "../shared-data.js";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

let upstreamTemplate: string;
let annotations: AlpacaEvalAnnotation[];
let switched: boolean[];

beforeAll(async () => {
  [upstreamTemplate, annotations, switched] = await Promise.all([
    readFile(sharedDataPath("alpaca_eval", "judge", "alpaca_eval_clf.txt"), "utf8"),
    readAlpacaEvalAnnotations(
      sharedDataPath("alpaca_eval", "annotations", "claude-2.1.annotations.json"),
    ),
    loadSwitchedOutputs(),
  ]);
});

describe("AlpacaEval 2.0 judge prompt", () => {
  it("uses the vendored copy of the upstream template", async () => {
    expect(await loadAlpacaEvalJudgeTemplate()).toBe(upstreamTemplate);
  });

  // Expected digests computed with alpaca_eval's own `make_prompts` + `prompt_to_chatml` logic in
  // CPython, for claude-2.1's annotated pairs with the official position switch applied.
  it.each([
    [0, true, "5bd9d72156295075e1b451fe9b1e04e9bd9773d882ea55a8377d7db073206b3a", 4346],
    [3, false, "b535b045da9f6101f3789707b6dbad7356712378dfdd035936fcc15725b90d32", 5372],
    [100, true, "2f0d26126cec900748dfecc318ea784a9479086fc141c70e813b65ce5644d64b", 4461],
    [804, true, "a7ef48a182275122e9a3710684864bd20449d7dd30422aec404cda3bf87aebae", 7418],
  ])(
    "formats instance %i (switched: %s) byte for byte as upstream",
    (index, isSwitched, userDigest, userLength) => {
      const annotation = annotations[index] as AlpacaEvalAnnotation;
      expect(switched[index]).toBe(isSwitched);
      const fields = {
        instruction: annotation.instruction,
        output_1: isSwitched ? annotation.output_2 : annotation.output_1,
        output_2: isSwitched ? annotation.output_1 : annotation.output_2,
      };
      const messages = buildAlpacaEvalJudgeMessages(upstreamTemplate, fields);
      expect(messages.map((message) => message.role)).toEqual(["system", "user"]);
      expect(sha256(messages[0]!.content)).toBe(
        "4c93a9a9d5102753ce3493c0bda3b52da607434e8e7c4932b34f7385426255cd",
      );
      expect(messages[1]!.content.length).toBe(userLength);
      expect(sha256(messages[1]!.content)).toBe(userDigest);

      // The same strings built directly from the upstream file: split the ChatML blocks, strip,
      // and substitute the three fields in place.
      const [, systemBlock, userBlock] = upstreamTemplate.split("<|im_start|>");
      const body = (block: string) =>
        block
          .slice(block.indexOf("\n") + 1)
          .split("<|im_end|>")[0]!
          .trim();
      const expectedUser = body(userBlock!)
        .replace("{instruction}", () => fields.instruction)
        .replace('"""{output_1}"""', () => `"""${fields.output_1}"""`)
        .replace('"""{output_2}"""', () => `"""${fields.output_2}"""`);
      expect(messages[0]!.content).toBe(body(systemBlock!));
      expect(messages[1]!.content).toBe(expectedUser);
    },
  );

  it("replaces each placeholder once, in order, like upstream's str.replace(…, 1)", () => {
    const template = "<|im_start|>user\nI: {instruction}\nA: {output_1}\nB: {output_2}\n<|im_end|>";
    expect(
      fillAlpacaEvalTemplate(template, {
        instruction: "say {output_1}",
        output_1: "X",
        output_2: "Y",
      }),
    ).toBe("<|im_start|>user\nI: say X\nA: {output_1}\nB: Y\n<|im_end|>");
    // `$` sequences are literal text, not replacement patterns.
    expect(fillAlpacaEvalTemplate("{instruction}", { instruction: "$& $1 $$" })).toBe("$& $1 $$");
  });

  it("parses ChatML roles, names and Python whitespace", () => {
    expect(
      chatMlToMessages(
        "\n<|im_start|>system name=example_user\nKnock.\x1c\n<|im_end|>\n<|im_start|>user\n Who? \n<|im_end|>\n",
      ),
    ).toEqual([
      { role: "system", content: "Knock.", name: "example_user" },
      { role: "user", content: "Who?" },
    ]);
    expect(() => chatMlToMessages("no chatml here")).toThrow(/must start with/);
  });
});
