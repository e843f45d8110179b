import type { AIMessageChunk } from "@langchain/core/messages";
import type { MoaCallMetadata, MoaRole } from "../graph/model-call-config.js";
import { isProposalEvent } from "../graph/stream-events.js";
import { messageText } from "../models/index.js";
import type { MoaState } from "../state/moa-state.js";
import type { CliIo } from "./cli-io.js";
import { formatRunSummary } from "./format-run-summary.js";
import type { RunSummary } from "../config/run-summary.js";

/** What {@link consumeRunStream} saw of a run. */
export interface StreamedRun {
  /** The graph's last state. */
  final: MoaState;
  /** The text of the final message. */
  answer: string;
  /** Whether any answer text was already written to stdout while streaming. */
  streamed: boolean;
}

/**
 * Reads a MoA graph stream (`streamMode: ["messages", "custom", "values"]`). Unless `json`,
 * writes the tokens of calls in `answerRoles` to stdout as they arrive and each failed proposal
 * to stderr.
 */
export async function consumeRunStream(
  stream: AsyncIterable<unknown>,
  io: CliIo,
  options: {
    json: boolean;
    answerRoles: readonly MoaRole[];
    /** Updated with every state streamed, so a failed run can still report what finished. */
    seen?: { state?: MoaState };
  },
): Promise<StreamedRun> {
  let state: MoaState | undefined;
  let streamed = false;
  for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
    if (mode === "values") {
      state = chunk as MoaState;
      if (options.seen) options.seen.state = state;
    } else if (mode === "messages" && !options.json) {
      const [message, metadata] = chunk as [AIMessageChunk, Partial<MoaCallMetadata>];
      if (metadata.moa_role !== undefined && options.answerRoles.includes(metadata.moa_role)) {
        const text = messageText(message);
        if (text) {
          io.stdout(text);
          streamed = true;
        }
      }
    } else if (mode === "custom" && !options.json && isProposalEvent(chunk)) {
      if (chunk.type === "proposal-end" && chunk.status === "error") {
        io.stderr(
          `! layer ${chunk.layer} ${chunk.proposerId}#${chunk.sample} failed: ${chunk.error}\n`,
        );
      }
    }
  }
  const final = state!;
  return { final, answer: messageText(final.messages.at(-1)!), streamed };
}

/** Finishes a streamed run's text output: the answer (if not streamed already), then the summary. */
export function printAnswerAndSummary(io: CliIo, run: StreamedRun, summary: RunSummary): void {
  if (!run.streamed) io.stdout(run.answer);
  io.stdout("\n\n");
  io.stdout(`${formatRunSummary(summary, { color: io.color })}\n`);
}
