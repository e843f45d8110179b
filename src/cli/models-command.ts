import { setMaxListeners } from "node:events";
import type { Command } from "commander";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import {
  LOCAL_ENVIRONMENT,
  isToyModelFile,
  listCachedModels,
  listPartialDownloads,
  modelsDirectory,
} from "../local/models-directory.js";
import { DEFAULT_HUB_URL, pullModel, type PulledModel } from "../local/pull-model.js";
import { CliError, EXIT } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { createDownloadProgressReporter } from "./local-download-progress.js";

/** A small instruct model that runs at reading speed on a laptop CPU (about 0.4 GB). */
export const EXAMPLE_PULL = "Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf";

interface PullFlags {
  sha256?: string;
  revision: string;
  hubUrl?: string;
  force?: boolean;
  json?: boolean;
}

/** Registers `moa models pull` and `moa models list`. */
export function registerModelsCommand(program: Command, io: CliIo): void {
  const models = program
    .command("models")
    .description(
      "GGUF models for the embedded engine (local:<name>): download them into the cache, list them",
    );

  models
    .command("pull")
    .description(
      "download a GGUF file from the hub into the model cache (resumable, SHA-256 verified)",
    )
    .argument("<file>", `"<owner>/<repo>/<file>.gguf", e.g. ${EXAMPLE_PULL}`)
    .option(
      "--sha256 <hex>",
      "expected SHA-256 (default: the hub's X-Linked-Etag, when it sends one)",
    )
    .option("--revision <rev>", "branch, tag or commit of the repository", "main")
    .option(
      "--hub-url <url>",
      `base URL of the hub (default: $${LOCAL_ENVIRONMENT.hubUrl} or ${DEFAULT_HUB_URL})`,
    )
    .option("--force", "download again even if the file is cached")
    .option("--json", "print one JSON object describing the file")
    .action(async (reference: string, flags: PullFlags) => {
      const directory = modelsDirectory(io.env);
      const hubUrl = checkUrl(
        flags.hubUrl ?? nonEmpty(io.env[LOCAL_ENVIRONMENT.hubUrl]) ?? DEFAULT_HUB_URL,
      );
      const progress = createDownloadProgressReporter(io, reference.split("/").at(-1) ?? reference);
      const controller = new AbortController();
      setMaxListeners(64, controller.signal);
      const interrupt = () =>
        controller.abort(
          new CliError("interrupted; run the same pull again to resume", EXIT.failure),
        );
      process.once("SIGINT", interrupt);
      let pulled: PulledModel;
      try {
        pulled = await pullModel({
          reference,
          directory,
          hubUrl,
          revision: flags.revision,
          sha256: flags.sha256,
          token: nonEmpty(io.env[LOCAL_ENVIRONMENT.hubToken]),
          force: flags.force,
          signal: controller.signal,
          onProgress: flags.json ? undefined : progress.onProgress,
        });
      } catch (error) {
        if (InvalidArgumentError.isInstance(error)) throw new CliError(error.message);
        throw error;
      } finally {
        progress.stop();
        process.removeListener("SIGINT", interrupt);
      }
      if (flags.json) {
        io.stdout(`${JSON.stringify({ ...pulled, spec: `local:${pulled.name}` }, null, 2)}\n`);
        return;
      }
      const verified =
        pulled.verifiedAgainst === "server"
          ? "SHA-256 verified against the hub"
          : pulled.verifiedAgainst === "flag"
            ? "SHA-256 verified against --sha256"
            : "not verified: the hub sent no SHA-256 and no --sha256 was given";
      io.stdout(
        `${pulled.downloaded ? "Downloaded" : "Already cached:"} ${pulled.path} (${megabytes(pulled.sizeBytes)} MB${
          pulled.resumedFromBytes > 0 ? `, resumed at ${megabytes(pulled.resumedFromBytes)} MB` : ""
        })\n` +
          `sha256 ${pulled.sha256} (${verified})\n` +
          `Use it as local:${pulled.name}, e.g.\n` +
          `  moa demo --proposers local:${pulled.name} --aggregator local:${pulled.name}\n`,
      );
    });

  models
    .command("list")
    .description(
      "list the GGUF models in the cache ($MOA_MODELS_DIR or ~/.cache/langgraph-moa/models)",
    )
    .option("--json", "print a JSON array")
    .action((flags: { json?: boolean }) => {
      const directory = modelsDirectory(io.env);
      const cached = listCachedModels(directory).map((model) => ({
        ...model,
        spec: `local:${model.name}`,
        toy: isToyModelFile(model.path),
      }));
      const partial = listPartialDownloads(directory);
      if (flags.json) {
        io.stdout(
          `${JSON.stringify(
            {
              directory,
              models: cached,
              incomplete: partial.map((model) => ({
                name: model.name,
                path: model.path,
                sizeBytes: model.sizeBytes,
              })),
            },
            null,
            2,
          )}\n`,
        );
        return;
      }
      if (cached.length === 0 && partial.length === 0) {
        io.stdout(
          `No models in ${directory}.\n` +
            `Download one:  moa models pull ${EXAMPLE_PULL}\n` +
            "Or run `moa demo`, which generates toy models there on first use.\n",
        );
        return;
      }
      io.stdout(`Models in ${directory}:\n`);
      const width = Math.max(...cached.map((model) => model.spec.length), 4);
      for (const model of cached) {
        io.stdout(
          `  ${model.spec.padEnd(width)}  ${`${megabytes(model.sizeBytes)} MB`.padStart(10)}${
            model.toy ? "  toy weights (moa demo): a fixed table, not a language model" : ""
          }\n`,
        );
      }
      for (const model of partial) {
        io.stdout(
          `  ${model.name} — incomplete download (${megabytes(model.sizeBytes)} MB so far); \`moa models pull ${model.name}.gguf\` resumes it\n`,
        );
      }
    });
}

function checkUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return value;
  } catch {
    // reported below
  }
  throw new CliError(
    `the hub URL must be an http(s) URL, got "${value}" (--hub-url or ${LOCAL_ENVIRONMENT.hubUrl}).`,
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}
