import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
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

  close(): void {
    this.checkpointer.db.close();
  }
}
