/**
 * P6 — checkpointing cost: P2's graph (6 proposers × 3 layers, zero-latency fakes) compiled with
 * the SQLite checkpointer the CLI uses for threads, against the same graph without one; plus
 * what a run writes to SQLite, with short and with realistic (2,000-character) proposals.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { createMixtureOfAgents } from "../src/index.js";
import { prepareBenchProcess } from "./lib/environment.js";
import { benchInput, fakeModels } from "./lib/moa-fixtures.js";
import { benchCommand, runIfMain, type Benchmark, type BenchReport } from "./lib/report.js";
import { median } from "./lib/stats.js";
import { interleavedMsPerCall } from "./lib/timing.js";

const PROPOSERS = 6;
const LAYERS = 3;
const ITERATIONS = 60;
/** A realistic proposal: AlpacaEval answers of the paper's models average ~1,700 characters. */
const LONG_REPLY_CHARACTERS = 2_000;

function longReply(name: string): string {
  const filler = "lorem ipsum dolor sit amet consectetur adipiscing elit ";
  return `${name}: ${filler.repeat(Math.ceil(LONG_REPLY_CHARACTERS / filler.length))}`.slice(
    0,
    LONG_REPLY_CHARACTERS,
  );
}

interface StoredBytes {
  checkpoints: number;
  writes: number;
  /** Bytes of the Sends (pending tasks) in checkpoints and writes. */
  sends: number;
}

/** Bytes one thread wrote (checkpoint blobs, pending writes, and the Send payloads among them). */
function storedBytes(saver: SqliteSaver, thread: string): StoredBytes {
  const checkpoints = saver.db
    .prepare("SELECT checkpoint FROM checkpoints WHERE thread_id = ?")
    .all(thread) as { checkpoint: Buffer }[];
  let checkpointBytes = 0;
  let sendBytes = 0;
  for (const { checkpoint } of checkpoints) {
    checkpointBytes += checkpoint.length;
    const tasks = (
      JSON.parse(checkpoint.toString("utf8")) as { channel_values?: Record<string, unknown> }
    ).channel_values?.__pregel_tasks;
    if (Array.isArray(tasks) && tasks.length > 0) sendBytes += JSON.stringify(tasks).length;
  }
  const writes = saver.db
    .prepare("SELECT channel, length(value) AS bytes FROM writes WHERE thread_id = ?")
    .all(thread) as { channel: string; bytes: number }[];
  let writeBytes = 0;
  for (const write of writes) {
    writeBytes += write.bytes;
    if (write.channel === "__pregel_tasks") sendBytes += write.bytes;
  }
  return { checkpoints: checkpointBytes, writes: writeBytes, sends: sendBytes };
}

const benchmark: Benchmark = {
  id: "p6",
  title: "checkpointing cost (P2 with the SQLite checkpointer)",
  async run({ runs, log }): Promise<BenchReport> {
    prepareBenchProcess();
    const directory = mkdtempSync(join(tmpdir(), "moa-bench-p6-"));
    let saver: SqliteSaver;
    try {
      saver = SqliteSaver.fromConnString(join(directory, "checkpoints.sqlite"));
    } catch (error) {
      rmSync(directory, { recursive: true, force: true });
      // better-sqlite3 is a native addon, built for the Node.js that installed it.
      if (!/NODE_MODULE_VERSION|different Node\.js version/.test(String(error))) throw error;
      return {
        id: "p6",
        title: benchmark.title,
        command: benchCommand("p6", runs),
        figures: [],
        notes: [],
        skipped: `better-sqlite3 is built for another Node.js (${process.version} here); run \`npm rebuild better-sqlite3\` with this one`,
      };
    }
    try {
      const short = fakeModels(PROPOSERS);
      const long = fakeModels(PROPOSERS, longReply);
      const params = (models: ReturnType<typeof fakeModels>) => ({
        proposers: models.proposers,
        aggregator: models.aggregator,
        layers: LAYERS,
      });
      const plain = createMixtureOfAgents(params(short)).compile();
      const checkpointed = createMixtureOfAgents(params(short)).compile({ checkpointer: saver });
      const plainLong = createMixtureOfAgents(params(long)).compile();
      const checkpointedLong = createMixtureOfAgents(params(long)).compile({ checkpointer: saver });
      let thread = 0;
      const onThread = () => ({ configurable: { thread_id: `bench-${thread++}` } });
      // `moa run --thread` persists every step before the next ("sync"); "exit" only at the end.
      const withDurability = (durability: "sync" | "exit") => () =>
        checkpointed.invoke(benchInput(), { ...onThread(), durability });

      const plainRuns: number[] = [];
      const sqliteRuns: number[] = [];
      const ratios: number[] = [];
      const longRatios: number[] = [];
      const syncRatios: number[] = [];
      const exitRatios: number[] = [];
      for (let run = 0; run < runs; run++) {
        const [plainMs, sqliteMs, syncMs, exitMs, plainLongMs, sqliteLongMs] =
          await interleavedMsPerCall(
            [
              () => plain.invoke(benchInput()),
              () => checkpointed.invoke(benchInput(), onThread()),
              withDurability("sync"),
              withDurability("exit"),
              () => plainLong.invoke(benchInput()),
              () => checkpointedLong.invoke(benchInput(), onThread()),
            ],
            ITERATIONS,
          );
        syncRatios.push(syncMs! / plainMs!);
        exitRatios.push(exitMs! / plainMs!);
        plainRuns.push(plainMs!);
        sqliteRuns.push(sqliteMs!);
        ratios.push(sqliteMs! / plainMs!);
        longRatios.push(sqliteLongMs! / plainLongMs!);
        log(
          `run ${run + 1}/${runs}: short ${plainRuns.at(-1)!.toFixed(2)} → ${sqliteRuns.at(-1)!.toFixed(2)} ms (×${ratios.at(-1)!.toFixed(2)}), ` +
            `2,000-char proposals ${plainLongMs!.toFixed(2)} → ${sqliteLongMs!.toFixed(2)} ms (×${longRatios.at(-1)!.toFixed(2)})`,
        );
      }

      // One more run of each to count what it stored.
      const shortThread = onThread();
      await checkpointed.invoke(benchInput(), shortThread);
      const longThread = onThread();
      const longResult = await checkpointedLong.invoke(benchInput(), longThread);
      const shortBytes = storedBytes(saver, shortThread.configurable.thread_id);
      const longBytes = storedBytes(saver, longThread.configurable.thread_id);
      const longTotal = longBytes.checkpoints + longBytes.writes;
      const payload =
        longResult.proposals.reduce((total, proposal) => total + proposal.content.length, 0) +
        String(longResult.messages.at(-1)!.content).length;
      const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
      return {
        id: "p6",
        title: benchmark.title,
        command: benchCommand("p6", runs),
        figures: [
          {
            label: "SQLite checkpointer / none (P2's short replies)",
            value: median(ratios),
            unit: "×",
            target: { comparison: "<=", value: 1.5 },
            runs: ratios,
          },
          {
            label: "ms per run with SQLite (short replies)",
            value: median(sqliteRuns),
            unit: "ms",
            runs: sqliteRuns,
          },
          {
            label: 'same, durability "sync" (as `moa run --thread`)',
            value: median(syncRatios),
            unit: "×",
            runs: syncRatios,
          },
          {
            label: 'same, durability "exit"',
            value: median(exitRatios),
            unit: "×",
            runs: exitRatios,
          },
          {
            label: "SQLite checkpointer / none (2,000-char proposals)",
            value: median(longRatios),
            unit: "×",
            runs: longRatios,
          },
          {
            label: "stored per run / answer text (2,000-char proposals)",
            value: longTotal / payload,
            unit: "×",
            digits: 1,
          },
        ],
        notes: [
          `stored per run, short replies: checkpoints ${kib(shortBytes.checkpoints)}, writes ${kib(shortBytes.writes)}`,
          `stored per run, 2,000-char proposals: checkpoints ${kib(longBytes.checkpoints)}, writes ${kib(longBytes.writes)} ` +
            `(of which pending Sends ${kib(longBytes.sends)}), for ${kib(payload)} of answer text (12 proposals + the final answer)`,
          `"modest" is taken as ≤ 1.5×; SqliteSaver on a file in ${tmpdir()}, default durability ("async") unless named, a new thread per run; each measurement ${ITERATIONS} interleaved rounds of the six variants, median of ${runs} measurements`,
        ],
      };
    } finally {
      saver.db.close();
      rmSync(directory, { recursive: true, force: true });
    }
  },
};

export default benchmark;
await runIfMain(benchmark, import.meta.url);
