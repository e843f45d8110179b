import { SingleBar } from "cli-progress";
import type { CliIo } from "./cli-io.js";

/**
 * A cli-progress bar (30 wide, cursor hidden, kept on screen when done) that draws on the
 * terminal behind `io.stderr`. `format` is a cli-progress format string.
 */
export function createStderrBar(io: CliIo, format: string): SingleBar {
  // The bar writes through `io.stderr` like every other message; cursor moves are plain escape
  // sequences, so a stream-shaped wrapper is all cli-progress needs.
  const stream = {
    isTTY: true,
    get columns() {
      return process.stderr.columns ?? 100;
    },
    write(chunk: string | Uint8Array) {
      io.stderr(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return new SingleBar({
    stream,
    format,
    barsize: 30,
    hideCursor: true,
    clearOnComplete: false,
  });
}
