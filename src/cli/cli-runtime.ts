import type { ProviderEnvironment } from "../models/index.js";
import {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from "../testing/simulator/index.js";
import {
  ThreadStore,
  checkpointPath,
  checkpointSource,
  type ThreadLock,
} from "./checkpoint-store.js";
import type { CliIo } from "./cli-io.js";
import { simulatedEnvironment } from "./simulated-environment.js";

/** What a command needs around its work; everything is optional. */
export interface CliRuntimeOptions {
  /** `--simulate`: start the loopback simulator with this behaviour. */
  simulation?: SimulatorOptions | undefined;
  /** The SIMULATED line printed to stderr once the simulator listens (none when undefined). */
  banner?: (url: string) => string | undefined;
  /** Open the thread store (the SQLite checkpointer) of `--checkpoint-db`. */
  store?: {
    checkpointDb?: string | undefined;
    /** Hold this thread's lock for the whole command (`moa run --thread`, `moa resume`). */
    thread?: string | undefined;
  };
  /** Further teardown, run after the store is closed and before the simulator stops. */
  close?: () => Promise<void>;
}

/** What the command body gets. */
export interface CliRuntime {
  /** The provider environment: `io.env`, pointed at the simulator under `--simulate`. */
  env: ProviderEnvironment;
  /** The thread store, when `store` was asked for. */
  store: ThreadStore | undefined;
}

/**
 * Sets up what a command needs around its work (the simulator for `--simulate`, the provider
 * environment, the SQLite checkpointer and the thread's lock), runs `body`, and tears all of
 * it down afterwards, also when `body` throws.
 */
export async function withCliRuntime<T>(
  options: CliRuntimeOptions,
  io: CliIo,
  body: (runtime: CliRuntime) => Promise<T>,
): Promise<T> {
  let simulator: Simulator | undefined;
  let store: ThreadStore | undefined;
  let lock: ThreadLock | undefined;
  try {
    if (options.simulation) {
      simulator = await startSimulator(options.simulation);
      const banner = options.banner?.(simulator.url);
      if (banner !== undefined) io.stderr(banner);
    }
    if (options.store) {
      store = await openThreadStore(options.store.checkpointDb, io);
      // Before the thread's state is read: a second process must not see the first one's
      // unfinished turn as something to resume (that would repeat every paid call).
      if (options.store.thread) lock = store.acquireLock(options.store.thread);
    }
    const env = simulator ? simulatedEnvironment(simulator.url, io.env) : io.env;
    return await body({ env, store });
  } finally {
    lock?.release();
    store?.close();
    await options.close?.();
    await simulator?.close();
  }
}

/** Opens the thread store of `--checkpoint-db` (or its default). */
export function openThreadStore(checkpointDb: string | undefined, io: CliIo): Promise<ThreadStore> {
  return ThreadStore.open(
    checkpointPath(checkpointDb, io.env),
    checkpointSource(checkpointDb, io.env),
  );
}
