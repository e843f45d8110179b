import type { BaseMessage } from "@langchain/core/messages";

/** One call as a fake or recording model saw it. */
export interface RecordedCall {
  /** 0-based index of the call on this model (clones made for sampling share the count). */
  index: number;
  /** The messages the model received (a copy; later mutation cannot change the record). */
  messages: BaseMessage[];
  /** Sampling settings in effect for the call. */
  temperature?: number;
  maxTokens?: number;
  /** Metadata of the call's config (MoA adds `moa_role`, `moa_layer`, `moa_proposer_id`, `moa_sample`). */
  metadata: Record<string, unknown>;
  tags: string[];
  /** How the call ended. */
  outcome?: "ok" | "error" | "aborted";
}

/**
 * Counts and records the calls of one model. Fakes keep one per instance (shared with the
 * copies `withSampling` makes), so tests can assert per-proposer call counts and in-flight
 * concurrency without timers.
 */
export class CallRecorder {
  readonly calls: RecordedCall[] = [];
  /** Calls currently running. */
  inFlight = 0;
  /** Highest `inFlight` seen. */
  peakInFlight = 0;

  /** @internal */
  start(call: Omit<RecordedCall, "index">): RecordedCall {
    const recorded = { ...call, index: this.calls.length };
    this.calls.push(recorded);
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    return recorded;
  }

  /** @internal */
  finish(call: RecordedCall, outcome: RecordedCall["outcome"]): void {
    call.outcome = outcome;
    this.inFlight -= 1;
  }

  /** Number of calls made so far. */
  get count(): number {
    return this.calls.length;
  }
}

/**
 * Measures concurrency across several models: pass the same probe to every fake of a layer and
 * read `peak` afterwards (the largest number of calls in flight at once).
 */
export class ConcurrencyProbe {
  current = 0;
  peak = 0;

  /** @internal */
  enter(): void {
    this.current += 1;
    this.peak = Math.max(this.peak, this.current);
  }

  /** @internal */
  leave(): void {
    this.current -= 1;
  }
}
