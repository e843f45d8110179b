import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { CheckpointTuple } from "@langchain/langgraph";
import type { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import type { ProviderEnvironment } from "../models/load-chat-model.js";

/**
 * Where `moa run --thread` keeps its SQLite checkpoints: `--checkpoint-db`, else
 * `MOA_CHECKPOINT_DB`, else `$XDG_STATE_HOME/langgraph-moa/checkpoints.sqlite`
 * (`~/.local/state/…` when XDG_STATE_HOME is unset).
 */
export function checkpointPath(flag: string | undefined, env: ProviderEnvironment): string {
  if (flag) return flag;
  if (env.MOA_CHECKPOINT_DB) return env.MOA_CHECKPOINT_DB;
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(state, "langgraph-moa", "checkpoints.sqlite");
}

/**
 * The embedded store of CLI threads: LangGraph's SQLite checkpointer plus one small table that
 * remembers each thread's MoA configuration, so `moa resume` rebuilds the same models.
 * (LangGraph keeps no run metadata in checkpoints, hence the side table in the same file.)
 */
export class ThreadStore {
  private constructor(readonly checkpointer: SqliteSaver) {}

  /**
   * Opens (creating when needed) the store at `path`. The SQLite module is loaded on demand, so
   * runs without `--thread` never load the native addon.
   */
  static async open(path: string): Promise<ThreadStore> {
    mkdirSync(dirname(path), { recursive: true });
    const { SqliteSaver } = await import("@langchain/langgraph-checkpoint-sqlite");
    const saver = SqliteSaver.fromConnString(path);
    saver.db.exec(
      "CREATE TABLE IF NOT EXISTS moa_threads (thread_id TEXT PRIMARY KEY, config TEXT NOT NULL, updated_at TEXT NOT NULL)",
    );
    return new ThreadStore(saver);
  }

  /** Remembers the configuration a thread runs with (the latest run wins). */
  saveConfig(thread: string, config: unknown): void {
    this.checkpointer.db
      .prepare(
        "INSERT INTO moa_threads (thread_id, config, updated_at) VALUES (?, ?, ?) " +
          "ON CONFLICT(thread_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
      )
      .run(thread, JSON.stringify(config), new Date().toISOString());
  }

  /** The configuration a thread last ran with, or `undefined` for an unknown thread. */
  loadConfig(thread: string): unknown {
    const row = this.checkpointer.db
      .prepare("SELECT config FROM moa_threads WHERE thread_id = ?")
      .get(thread) as { config: string } | undefined;
    return row === undefined ? undefined : JSON.parse(row.config);
  }

  /**
   * Ids of the threads with checkpoints, sorted. Read from the checkpointer's own table (the
   * saver has no listing method); other tables in the file are left alone.
   */
  threadIds(): string[] {
    const table = this.checkpointer.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'checkpoints'")
      .get();
    if (table === undefined) return [];
    const rows = this.checkpointer.db
      .prepare(
        "SELECT DISTINCT thread_id FROM checkpoints WHERE checkpoint_ns = '' ORDER BY thread_id",
      )
      .all() as { thread_id: string }[];
    return rows.map((row) => row.thread_id);
  }

  /** Every checkpoint of a thread's root graph, newest first (the checkpointer's `list`). */
  async history(thread: string): Promise<CheckpointTuple[]> {
    const tuples: CheckpointTuple[] = [];
    for await (const tuple of this.checkpointer.list({
      configurable: { thread_id: thread, checkpoint_ns: "" },
    })) {
      tuples.push(tuple);
    }
    return tuples;
  }

  /** Removes a thread: its checkpoints and pending writes, and its remembered configuration. */
  async deleteThread(thread: string): Promise<void> {
    await this.checkpointer.deleteThread(thread);
    this.checkpointer.db.prepare("DELETE FROM moa_threads WHERE thread_id = ?").run(thread);
  }

  close(): void {
    this.checkpointer.db.close();
  }
}
