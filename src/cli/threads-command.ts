import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { parseMoaConfig, type ResolvedMoaConfig } from "../config/moa-config.js";
import { ThreadStore, checkpointPath } from "./checkpoint-store.js";
import { CliError, EXIT } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { requireWritableOut } from "./eval-options.js";
import { formatRunSummary } from "./format-run-summary.js";
import { loadPriceTable } from "./price-file.js";
import { summarizeRun } from "../config/run-summary.js";
import { threadTurns, type ThreadTurn } from "./thread-history.js";

interface StoreFlags {
  checkpointDb?: string;
}

/** What `moa threads list` prints per thread (also its `--json` rows). */
export interface ThreadListing {
  thread: string;
  turns: number;
  /** Time of the thread's latest checkpoint (ISO 8601). */
  updatedAt: string;
  /** The latest prompt, cut to {@link PREVIEW_LENGTH} characters. */
  lastPrompt: string;
  /** False when the latest turn is unfinished (`moa resume --thread` finishes it). */
  finished: boolean;
}

const PREVIEW_LENGTH = 60;

/**
 * Registers `moa threads list | show ID | export ID | delete ID`: the conversations kept by
 * `moa run --thread`, read from the same SQLite file (`--checkpoint-db`, `MOA_CHECKPOINT_DB`,
 * or the default path). An unknown thread id is a usage error (exit 2).
 */
export function registerThreadsCommand(program: Command, io: CliIo): void {
  const threads = program
    .command("threads")
    .description("list, show, export and delete the conversations of `moa run --thread`");
  const dbOption = [
    "--checkpoint-db <path>",
    "SQLite file of the threads (default: $MOA_CHECKPOINT_DB or ~/.local/state/langgraph-moa/checkpoints.sqlite)",
  ] as const;

  threads
    .command("list")
    .description("thread ids with their turn count, last update and last prompt")
    .option(...dbOption)
    .option("--json", "print a JSON array")
    .action(async (flags: StoreFlags & { json?: boolean }) => {
      const path = checkpointPath(flags.checkpointDb, io.env);
      const listings = await withStore(
        path,
        async (store) => {
          const rows: ThreadListing[] = [];
          for (const thread of store.threadIds()) {
            const turns = threadTurns(await store.history(thread));
            const last = turns.at(-1);
            rows.push({
              thread,
              turns: turns.length,
              updatedAt: last?.updatedAt ?? "",
              lastPrompt: preview(last?.prompt ?? ""),
              finished: last?.finished ?? true,
            });
          }
          return rows;
        },
        () => [],
      );
      if (flags.json) {
        io.stdout(`${JSON.stringify(listings, null, 2)}\n`);
      } else if (listings.length === 0) {
        io.stdout(`no threads in ${path}; start one with \`moa run --thread ID "<prompt>"\`.\n`);
      } else {
        for (const row of listings) {
          const state = row.finished ? "" : " (unfinished: `moa resume`)";
          io.stdout(
            `${row.thread}\t${row.turns} turn(s)\t${row.updatedAt}\t${JSON.stringify(row.lastPrompt)}${state}\n`,
          );
        }
      }
      io.exitCode = EXIT.ok;
    });

  threads
    .command("show")
    .description("print a thread's conversation and each turn's per-layer table")
    .argument("<id>", "the thread id (see `moa threads list`)")
    .option(...dbOption)
    .action(async (thread: string, flags: StoreFlags) => {
      const { turns, config } = await readThread(thread, flags, io);
      const prices = loadPriceTable(undefined);
      const blocks = turns.map((turn) => {
        const lines = [`── turn ${turn.index} · ${turn.updatedAt}`];
        for (const message of turn.messages) lines.push(`${message.type}: ${message.content}`);
        if (!turn.finished) {
          lines.push(`(unfinished: finish it with \`moa resume --thread ${thread}\`)`);
        } else {
          // The aggregator ran after the turn's last proposer layer, whatever the configuration
          // of later turns says.
          const layers = Math.max(0, ...turn.proposals.map((proposal) => proposal.layer)) + 1;
          const summary = summarizeRun(turn, { ...config, layers }, prices, wallTimeMs(turn));
          lines.push("", formatRunSummary(summary, { color: io.color }));
        }
        return lines.join("\n");
      });
      io.stdout(`thread ${thread} · ${turns.length} turn(s)\n\n${blocks.join("\n\n")}\n`);
      io.exitCode = EXIT.ok;
    });

  threads
    .command("export")
    .description("write a thread as JSON: its messages, and per turn proposals, usage, aggregation")
    .argument("<id>", "the thread id (see `moa threads list`)")
    .option(...dbOption)
    .option("--out <file>", "write the JSON to this file instead of stdout")
    .action(async (thread: string, flags: StoreFlags & { out?: string }) => {
      if (flags.out !== undefined) await requireWritableOut(flags.out);
      const { turns, config, messages } = await readThread(thread, flags, io);
      const exported = {
        thread,
        config,
        messages,
        turns: turns.map(({ messages: _messages, ...turn }) => ({
          ...turn,
          wallTimeMs: wallTimeMs(turn),
        })),
      };
      const json = `${JSON.stringify(exported, null, 2)}\n`;
      if (flags.out === undefined) io.stdout(json);
      else {
        await writeFile(flags.out, json, "utf8");
        io.stderr(`wrote ${turns.length} turn(s) of thread ${thread} to ${flags.out}\n`);
      }
      io.exitCode = EXIT.ok;
    });

  threads
    .command("delete")
    .description("remove a thread's checkpoints, pending writes and stored configuration")
    .argument("<id>", "the thread id (see `moa threads list`)")
    .option(...dbOption)
    .action(async (thread: string, flags: StoreFlags) => {
      const path = checkpointPath(flags.checkpointDb, io.env);
      await withStore(
        path,
        async (store) => {
          requireThread(store, thread, path);
          await store.deleteThread(thread);
        },
        () => unknownThread(thread, path),
      );
      io.stdout(`deleted thread ${thread} from ${path}\n`);
      io.exitCode = EXIT.ok;
    });
}

/** Opens the store for one command and closes it; a missing file reads as an empty store. */
async function withStore<T>(
  path: string,
  body: (store: ThreadStore) => Promise<T>,
  empty?: () => T,
): Promise<T> {
  if (!existsSync(path) && empty) return empty();
  const store = await ThreadStore.open(path);
  try {
    return await body(store);
  } finally {
    store.close();
  }
}

async function readThread(thread: string, flags: StoreFlags, io: CliIo) {
  const path = checkpointPath(flags.checkpointDb, io.env);
  return withStore(
    path,
    async (store) => {
      requireThread(store, thread, path);
      const turns = threadTurns(await store.history(thread));
      // The configuration the thread last ran with prices its calls; a thread written by
      // another program has none, and the default preset stands in.
      const config: ResolvedMoaConfig = parseMoaConfig(
        store.loadConfig(thread),
        `thread "${thread}" configuration`,
      );
      return {
        turns,
        config,
        messages: turns.flatMap((turn) => turn.messages),
      };
    },
    () => unknownThread(thread, path),
  );
}

function requireThread(store: ThreadStore, thread: string, path: string): void {
  if (!store.threadIds().includes(thread)) unknownThread(thread, path);
}

function unknownThread(thread: string, path: string): never {
  throw new CliError(
    `no thread "${thread}" in ${path}; see the thread ids with \`moa threads list --checkpoint-db ${path}\`.`,
    EXIT.usage,
  );
}

function wallTimeMs(turn: Pick<ThreadTurn, "startedAt" | "updatedAt">): number {
  return Math.max(0, Date.parse(turn.updatedAt) - Date.parse(turn.startedAt));
}

function preview(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= PREVIEW_LENGTH ? line : `${line.slice(0, PREVIEW_LENGTH - 1)}…`;
}
