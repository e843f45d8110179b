import { splitModelSpec } from "../models/parse-model-spec.js";

/** Parameter counts of one model, with where they come from (for TFLOPs estimates). */
export interface ParameterRow {
  /** Provider prefix as in `"provider:model"`; omit to match the model id under any provider. */
  provider?: string;
  /** Model id as the provider spells it. */
  model: string;
  /**
   * Parameters used per token, in billions: all of them for a dense model, the routed experts'
   * share for a mixture of experts.
   */
  activeParametersB: number;
  /** All parameters, in billions. */
  totalParametersB: number;
  /** Where the counts come from. */
  source: string;
  /** How the active count was derived, when it is not read directly off the source. */
  note?: string;
}

const QWEN_110B =
  "https://huggingface.co/Qwen/Qwen1.5-110B-Chat (model page: 111B parameters, dense)";
const QWEN_72B = "https://huggingface.co/Qwen/Qwen1.5-72B-Chat (model page: 72B parameters, dense)";
const LLAMA_3_70B =
  "https://huggingface.co/meta-llama/Meta-Llama-3-70B-Instruct (model page: 70.6B parameters, dense)";
const MIXTRAL_8X22B =
  "https://mistral.ai/news/mixtral-8x22b (2024-04-17: 39B active of 141B, sparse mixture of experts)";
const WIZARDLM_2 =
  "https://huggingface.co/microsoft/WizardLM-2-8x22B (a fine-tune of Mixtral-8x22B: 39B active of 141B, see https://mistral.ai/news/mixtral-8x22b)";
const DBRX =
  "https://www.databricks.com/blog/introducing-dbrx-new-state-art-open-llm (2024-03-27: 36B active of 132B, fine-grained mixture of experts)";
const GPT_4 =
  "Wang et al. 2024, Mixture-of-Agents (arXiv:2406.04692), budget analysis: GPT-4 assumed to be 8×220B";
const GPT_4_NOTE =
  "The paper gives no expert routing for its 8×220B assumption, so all 1,760B are counted as active " +
  "(the literal reading, an upper bound; top-2 routing would be 440B). Override with your own row.";

function rows(
  models: readonly (readonly [provider: string | undefined, model: string])[],
  counts: Omit<ParameterRow, "provider" | "model">,
): ParameterRow[] {
  return models.map(([provider, model]) => ({
    ...(provider !== undefined ? { provider } : {}),
    model,
    ...counts,
  }));
}

/**
 * Built-in parameter counts of the paper's models, each with its source. Active parameters are
 * what a forward pass uses per token: every parameter of a dense model; for a mixture of experts,
 * the shared layers plus the routed experts, as the model's publisher states it. A model with no
 * row has unknown TFLOPs (never a guessed count): GPT-4o, GPT-4 Turbo and most hosted models
 * publish no size. Pass your own rows first to override (`--parameters FILE` on the CLI).
 */
export const DEFAULT_PARAMETERS: readonly ParameterRow[] = [
  ...rows([[undefined, "Qwen/Qwen1.5-110B-Chat"]], {
    activeParametersB: 111,
    totalParametersB: 111,
    source: QWEN_110B,
  }),
  ...rows([[undefined, "Qwen/Qwen1.5-72B-Chat"]], {
    activeParametersB: 72,
    totalParametersB: 72,
    source: QWEN_72B,
  }),
  ...rows(
    [
      [undefined, "meta-llama/Llama-3-70b-chat-hf"],
      [undefined, "meta-llama/Meta-Llama-3-70B-Instruct"],
      ["groq", "llama3-70b-8192"],
    ],
    { activeParametersB: 70.6, totalParametersB: 70.6, source: LLAMA_3_70B },
  ),
  ...rows([[undefined, "mistralai/Mixtral-8x22B-Instruct-v0.1"]], {
    activeParametersB: 39,
    totalParametersB: 141,
    source: MIXTRAL_8X22B,
  }),
  ...rows([[undefined, "microsoft/WizardLM-2-8x22B"]], {
    activeParametersB: 39,
    totalParametersB: 141,
    source: WIZARDLM_2,
  }),
  ...rows([[undefined, "databricks/dbrx-instruct"]], {
    activeParametersB: 36,
    totalParametersB: 132,
    source: DBRX,
  }),
  ...rows(
    [
      ["openai", "gpt-4"],
      ["openai", "gpt-4-0613"],
      ["openai", "gpt-4-0314"],
    ],
    { activeParametersB: 1760, totalParametersB: 1760, source: GPT_4, note: GPT_4_NOTE },
  ),
];

/**
 * Finds the parameter row of `"provider:model"`: the first row with the same provider and model,
 * or a provider-less row with the same model. `undefined` when unknown.
 *
 * @example
 * ```ts
 * findParameters("together:mistralai/Mixtral-8x22B-Instruct-v0.1")?.activeParametersB; // 39
 * findParameters("openai:gpt-4o"); // undefined: TFLOPs unknown
 * ```
 */
export function findParameters(
  spec: string,
  table: readonly ParameterRow[] = DEFAULT_PARAMETERS,
): ParameterRow | undefined {
  const { provider, model } = splitModelSpec(spec);
  return table.find(
    (row) => row.model === model && (row.provider === undefined || row.provider === provider),
  );
}

/**
 * TFLOPs of one call as the paper defines it: 2 × active parameters × tokens, where tokens are
 * the call's prompt and completion tokens (each passes through the model once).
 *
 * @example
 * ```ts
 * callTflops(111, 1000); // 222 (2 × 111e9 × 1000 / 1e12)
 * ```
 */
export function callTflops(activeParametersB: number, tokens: number): number {
  return (2 * activeParametersB * 1e9 * tokens) / 1e12;
}
