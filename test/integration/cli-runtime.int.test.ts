import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ThreadInUseError, ThreadStore } from "../../src/cli/checkpoint-store.js";
import { openThreadStore, withCliRuntime } from "../../src/cli/cli-runtime.js";
import { captureCliIo } from "../support/cli-io.js";

// Opens a real SQLite file (better-sqlite3, built for the machine's Node): an integration test,
// so the unit suite also runs on other Node versions.
describe("withCliRuntime with a thread store", () => {
  it("holds the thread's lock during the body and releases it, closing everything, when the body throws", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "moa-runtime-")), "checkpoints.sqlite");
    const cli = captureCliIo({});
    const closed: string[] = [];
    const failure = withCliRuntime(
      { store: { checkpointDb: path, thread: "t1" }, close: async () => void closed.push("x") },
      cli.io,
      async ({ store }) => {
        expect(store).toBeInstanceOf(ThreadStore);
        const other = await openThreadStore(path, cli.io);
        try {
          expect(() => other.acquireLock("t1")).toThrow(ThreadInUseError);
        } finally {
          other.close();
        }
        throw new Error("body failed");
      },
    );
    await expect(failure).rejects.toThrow("body failed");
    expect(closed).toEqual(["x"]);
    const after = await ThreadStore.open(path);
    try {
      after.acquireLock("t1").release();
    } finally {
      after.close();
    }
  });
});
