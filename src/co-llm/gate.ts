/**
 * The Co-LLM switch: `g_t = sigmoid(w · h_t + b)` over the base's final hidden state; the
 * assistant writes token t when `g_t > η`. In the reference implementation the weights are one
 * extra row of the base's output matrix (no bias); a bias is kept here so gates fitted outside
 * a llama head (or on a base whose hidden state has no constant feature) stay exact.
 *
 * @module
 */
import { z } from "zod";
import { InvalidConfigError } from "../errors/invalid-config-error.js";
import { GateMismatchError } from "./gate-mismatch-error.js";

/** A deferral gate fitted on one base model. */
export interface CoLlmGate {
  /** Identity of the base it reads (its {@link TokenModel.identity}, e.g. the GGUF `general.name`). */
  baseModel: string;
  /** Width of that base's hidden state; `weights.length`. */
  hiddenSize: number;
  /** `w`, one weight per hidden dimension. */
  weights: Float32Array | readonly number[];
  /** `b`, added to `w · h`. @default 0 */
  bias: number;
  /** `η`: defer when `g_t > threshold`. */
  threshold: number;
}

/** The JSON form of a gate (version 1). */
const GateJsonSchema = z
  .object({
    kind: z.literal("co-llm-gate"),
    version: z.literal(1),
    baseModel: z.string().min(1),
    hiddenSize: z.number().int().positive(),
    weights: z.array(z.number().refine(Number.isFinite, "a weight is a finite number")),
    bias: z.number().refine(Number.isFinite, "`bias` is a finite number").default(0),
    threshold: z.number().min(0).max(1),
  })
  .refine((gate) => gate.weights.length === gate.hiddenSize, {
    message: "`weights` has one number per hidden dimension (`hiddenSize` of them)",
    path: ["weights"],
  });

/** `g = sigmoid(w · h + b)`. */
export function gateProbability(gate: CoLlmGate, hidden: ArrayLike<number>): number {
  let logit = gate.bias;
  for (let index = 0; index < gate.hiddenSize; index++) {
    logit += gate.weights[index]! * hidden[index]!;
  }
  return 1 / (1 + Math.exp(-logit));
}

/**
 * Throws {@link GateMismatchError} unless `gate` was fitted on `base` (same identity, same
 * hidden size).
 */
export function assertGateFitsBase(
  gate: CoLlmGate,
  base: { identity: string; hiddenSize: number },
): void {
  if (gate.baseModel !== base.identity || gate.hiddenSize !== base.hiddenSize) {
    throw new GateMismatchError({
      gate: { baseModel: gate.baseModel, hiddenSize: gate.hiddenSize },
      base: { identity: base.identity, hiddenSize: base.hiddenSize },
    });
  }
}

/**
 * The gate as JSON text (weights as a plain array).
 *
 * @example
 * ```ts
 * await writeFile("gate.json", serializeGate(gate));
 * const again = parseGate(await readFile("gate.json", "utf8"), "gate.json");
 * ```
 */
export function serializeGate(gate: CoLlmGate): string {
  return JSON.stringify({
    kind: "co-llm-gate",
    version: 1,
    baseModel: gate.baseModel,
    hiddenSize: gate.hiddenSize,
    weights: Array.from(gate.weights),
    bias: gate.bias,
    threshold: gate.threshold,
  });
}

/**
 * Reads a gate from JSON text (or an already parsed object), validating every field.
 *
 * @param source - Where the JSON came from, for the error message.
 * @throws InvalidConfigError listing every invalid field.
 */
export function parseGate(input: string | unknown, source = "gate"): CoLlmGate {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new InvalidConfigError({
        source,
        issues: [{ path: "", message: `not JSON (${(error as Error).message})` }],
      });
    }
  }
  const parsed = GateJsonSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidConfigError({
      source,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.join("."),
        message: issue.message,
      })),
    });
  }
  const { baseModel, hiddenSize, weights, bias, threshold } = parsed.data;
  return { baseModel, hiddenSize, weights: Float32Array.from(weights), bias, threshold };
}
