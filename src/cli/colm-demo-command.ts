import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { evaluateCoLlmMethods } from "../co-llm/evaluate-methods.js";
import {
  CO_LLM_FIXTURE_VARIANTS,
  createCoLlmFixture,
  type CoLlmFixtureVariant,
} from "../co-llm/fixtures/create-co-llm-fixture.js";
import { loadLlamaTokenModel, type LlamaTokenModel } from "../co-llm/llama-token-model.js";
import { trainCoLlmGate } from "../co-llm/training/train-gate.js";
import { disposeLocalModels } from "../local/local-models.js";
import { CliError, EXIT } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { formatColmMethodTable } from "./colm-method-table.js";
import { integerFlag } from "./eval-options.js";

interface ColmDemoFlags {
  variant: string;
  questions: string;
  seed: string;
  threads?: string;
  json?: boolean;
}

/** The demo's decodes stop here: the fixture answers in 6 tokens. */
const DEMO_MAX_TOKENS = 16;

/** Registers `moa colm demo`: train, pick η and evaluate every method on generated fixtures. */
export function registerColmDemoCommand(colm: Command, io: CliIo): void {
  colm
    .command("demo")
    .description(
      "offline, on a generated GGUF base/assistant pair: train the switch on some questions, pick η on others, and compare every method on held-out questions by real decoding",
    )
    .option(
      "--variant <name>",
      `fixture: ${CO_LLM_FIXTURE_VARIANTS.join(" | ")} (how the base fails at the answer token)`,
      "standard",
    )
    .option("--questions <n>", "questions, split 60/20/20 into train/validation/held-out", "40")
    .option("--seed <n>", "seed of the operands, the split and the random baseline", "5")
    .option("--threads <n>", "CPU threads per model (default 1)")
    .option("--json", "print one JSON object: methods, threshold, splits")
    .action(async (flags: ColmDemoFlags) => {
      io.exitCode = await runColmDemo(flags, io);
    });
}

async function runColmDemo(flags: ColmDemoFlags, io: CliIo): Promise<number> {
  if (!CO_LLM_FIXTURE_VARIANTS.includes(flags.variant as CoLlmFixtureVariant)) {
    throw new CliError(
      `--variant must be one of ${CO_LLM_FIXTURE_VARIANTS.join(", ")}, got "${flags.variant}".`,
      EXIT.usage,
      { flag: "--variant" },
    );
  }
  const questions = integerFlag(flags.questions, "--questions", 10)!;
  if (questions > 500) {
    throw new CliError(`--questions must be at most 500, got ${questions}.`, EXIT.usage, {
      flag: "--questions",
    });
  }
  const seed = integerFlag(flags.seed, "--seed", 0)!;
  const threads = integerFlag(flags.threads, "--threads", 1) ?? 1;
  const started = performance.now();
  const progress = (text: string) => {
    if (!flags.json) io.stderr(`${text}\n`);
  };

  const fixture = createCoLlmFixture({
    variant: flags.variant as CoLlmFixtureVariant,
    questions,
    seed,
  });
  const directory = await mkdtemp(join(tmpdir(), "moa-colm-demo-"));
  const models: LlamaTokenModel[] = [];
  try {
    const basePath = join(directory, `${fixture.names.base}.gguf`);
    const assistantPath = join(directory, `${fixture.names.assistant}.gguf`);
    await writeFile(basePath, fixture.base);
    await writeFile(assistantPath, fixture.assistant);
    const base = await loadLlamaTokenModel({ modelPath: basePath, threads });
    models.push(base);
    const assistant = await loadLlamaTokenModel({
      modelPath: assistantPath,
      hiddenStates: false,
      threads,
    });
    models.push(assistant);

    const { train, validation, heldOut } = fixture.split;
    progress(
      `fixture ${fixture.variant}: ${train.length} train, ${validation.length} validation, ${heldOut.length} held-out questions`,
    );
    const trained = await trainCoLlmGate({
      base,
      assistant,
      train,
      validation,
      endOfSequenceToken: fixture.endOfSequenceToken,
      maxTokens: DEMO_MAX_TOKENS,
      onStep: (step) => progress(`training: ${step}`),
    });
    const best = trained.search.best;
    progress(
      `η = ${trained.gate.threshold.toFixed(4)} (${best.source}; validation accuracy ${(best.accuracy * 100).toFixed(1)} % at deferral ${(best.deferralRate * 100).toFixed(1)} %)`,
    );
    progress("evaluating every method on the held-out questions");
    const rows = await evaluateCoLlmMethods({
      base,
      assistant,
      gate: trained.gate,
      tasks: heldOut,
      maxTokens: DEMO_MAX_TOKENS,
      seed,
    });
    const seconds = (performance.now() - started) / 1000;
    if (flags.json) {
      io.stdout(
        JSON.stringify(
          {
            methods: rows,
            threshold: trained.gate.threshold,
            splits: { train: train.length, validation: validation.length, heldOut: heldOut.length },
            variant: fixture.variant,
            thresholdSearch: trained.search.table,
            seconds,
          },
          null,
          2,
        ) + "\n",
      );
    } else {
      io.stdout(formatColmMethodTable(rows));
      io.stdout(
        `η = ${trained.gate.threshold.toFixed(4)} · splits: ${train.length} train / ${validation.length} validation / ${heldOut.length} held-out (scored on held-out only) · ${seconds.toFixed(1)} s\n`,
      );
    }
    return EXIT.ok;
  } finally {
    for (const model of models) await model.dispose();
    await disposeLocalModels();
    await rm(directory, { recursive: true, force: true });
  }
}
