import { randomUUID } from "node:crypto";
import { mkdirSync, statSync } from "node:fs";
import { homedir, hostname } from "node:os";
import { dirname, join } from "node:path";
import type { CheckpointTuple } from "@langchain/langgraph";
import type { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import type { ProviderEnvironment } from "../models/load-provider-chat-model.js";
import { CliError, EXIT } from "./cli-error.js";

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

/** Which setting chose the checkpoint file, as error messages name it. */
export function checkpointSource(flag: string | undefined, env: ProviderEnvironment): string {
  if (flag) return "`--checkpoint-db`";
  if (env.MOA_CHECKPOINT_DB) return "`MOA_CHECKPOINT_DB`";
  return "the default checkpoint path (set `--checkpoint-db`)";
}

/** The process that holds a thread's lock, as recorded in the lock table. */
export interface ThreadLockHolder {
  pid: number;
  host: string;
  /** ISO time the holding process started. */
  startedAt: string;
}

/**
 * `moa run --thread T` or `moa resume --thread T` while another live moa process works on T.
 * Exit code 1: the command was valid, the thread's state did not allow it now; run it again
 * once the other process has finished.
 */
export class ThreadInUseError extends CliError {
  constructor(
    readonly thread: string,
    readonly holder: ThreadLockHolder,
    database: string,
  ) {
    super(
      `thread "${thread}" is in use by another moa process (pid ${holder.pid} on ${holder.host}, ` +
        `started ${holder.startedAt}); wait for it to finish, or if that process is gone, ` +
        `remove its lock with \`moa unlock --thread ${thread}\` (a lock left by a dead process on ` +
        `this host is taken over automatically). Database: ${database}.`,
      EXIT.failure,
    );
    this.name = "ThreadInUseError";
  }
}

/** A held thread lock; `release()` is idempotent and also runs on exit, SIGINT and SIGTERM. */
export interface ThreadLock {
  release(): void;
}

const LOCK_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * The embedded store of CLI threads: LangGraph's SQLite checkpointer plus two small tables: one
 * remembers each thread's MoA configuration, so `moa resume` rebuilds the same models, and one
 * holds per-thread locks, so two processes never write one thread's checkpoints at once (the
 * checkpoint would fork and a turn would vanish from the history).
 * (LangGraph keeps no run metadata in checkpoints, hence the side tables in the same file.)
 */
export class ThreadStore {
  private constructor(
    readonly checkpointer: SqliteSaver,
    readonly path: string,
  ) {}

  /**
   * Opens (creating when needed) the store at `path`. The SQLite module is loaded on demand, so
   * runs without `--thread` never load the native addon. `source` names the setting that chose
   * `path` in the usage error (exit 2) raised when it is a directory or cannot be created.
   */
  static async open(path: string, source = "`--checkpoint-db`"): Promise<ThreadStore> {
    const unusable = (reason: string) =>
      new CliError(
        `${source} ${path} ${reason}; point it at a SQLite file in a writable directory.`,
        EXIT.usage,
      );
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
      if (!isDirectory) mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw unusable(`cannot be created: its directory cannot be made (${errorCode(error)})`);
    }
    if (isDirectory) throw unusable("is a directory, not a file");
    const { SqliteSaver } = await import("@langchain/langgraph-checkpoint-sqlite");
    let saver: SqliteSaver;
    try {
      saver = SqliteSaver.fromConnString(path);
      saver.db.exec(
        "CREATE TABLE IF NOT EXISTS moa_threads (thread_id TEXT PRIMARY KEY, config TEXT NOT NULL, updated_at TEXT NOT NULL);" +
          "CREATE TABLE IF NOT EXISTS moa_thread_locks (thread_id TEXT PRIMARY KEY, pid INTEGER NOT NULL, " +
          "host TEXT NOT NULL, started_at TEXT NOT NULL, token TEXT NOT NULL)",
      );
    } catch (error) {
      throw unusable(
        `cannot be opened as a SQLite database (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    return new ThreadStore(saver, path);
  }

  /**
   * Takes the lock of `thread` atomically (one `BEGIN IMMEDIATE` transaction), recording this
   * process's pid, host and start time. A lock whose holder is a dead process on this host
   * (`kill(pid, 0)` fails with ESRCH) is taken over. Throws {@link ThreadInUseError} when a live
   * process holds it. The lock is released by `release()`, on process exit, and on SIGINT or
   * SIGTERM (then the signal is re-raised, so the process still ends as signalled).
   */
  acquireLock(thread: string): ThreadLock {
    const db = this.checkpointer.db;
    const me: ThreadLockHolder & { token: string } = {
      pid: process.pid,
      host: hostname(),
      startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
      token: randomUUID(),
    };
    const take = db.transaction((): ThreadLockHolder | undefined => {
      const held = db
        .prepare(
          "SELECT pid, host, started_at AS startedAt FROM moa_thread_locks WHERE thread_id = ?",
        )
        .get(thread) as ThreadLockHolder | undefined;
      if (held !== undefined && !isStale(held)) return held;
      db.prepare(
        "INSERT OR REPLACE INTO moa_thread_locks (thread_id, pid, host, started_at, token) VALUES (?, ?, ?, ?, ?)",
      ).run(thread, me.pid, me.host, me.startedAt, me.token);
      return undefined;
    });
    const holder = take.immediate();
    if (holder !== undefined) throw new ThreadInUseError(thread, holder, this.path);

    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off("exit", release);
      for (const signal of LOCK_SIGNALS) process.off(signal, onSignal);
      if (db.open) {
        db.prepare("DELETE FROM moa_thread_locks WHERE thread_id = ? AND token = ?").run(
          thread,
          me.token,
        );
      }
    };
    const onSignal = (signal: NodeJS.Signals) => {
      release();
      // Our listener replaced Node's default handling; with it gone, the re-raised signal ends
      // the process the usual way (exit status 128 + signal number).
      process.kill(process.pid, signal);
    };
    process.once("exit", release);
    for (const signal of LOCK_SIGNALS) process.once(signal, onSignal);
    return { release };
  }

  /** Removes the lock of `thread` whoever holds it; returns the holder it removed, if any. */
  forceUnlock(thread: string): ThreadLockHolder | undefined {
    const db = this.checkpointer.db;
    return db
      .transaction(() => {
        const held = db
          .prepare(
            "SELECT pid, host, started_at AS startedAt FROM moa_thread_locks WHERE thread_id = ?",
          )
          .get(thread) as ThreadLockHolder | undefined;
        db.prepare("DELETE FROM moa_thread_locks WHERE thread_id = ?").run(thread);
        return held;
      })
      .immediate();
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

/** A lock is stale when its holder ran on this host and that pid no longer exists. */
function isStale(holder: ThreadLockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the pid exists (another user's process); only ESRCH proves it is gone.
    return errorCode(error) === "ESRCH";
  }
}

function errorCode(error: unknown): string {
  return (error as { code?: string } | null)?.code ?? String(error);
}
