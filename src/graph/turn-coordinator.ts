import { SpendTally } from "../budget/run-spend.js";
import type { MoaPlan } from "../plan/proposer-spec.js";

/** Why a proposer call was cancelled by its turn (not by the caller). */
export interface CancelReason {
  kind: "straggler" | "budget";
  message: string;
}

/**
 * Coordinates the parallel branches of one turn inside this process: the straggler cut-off
 * (once a layer's quorum is met, the rest get `stragglerGraceMs`, then their requests are
 * aborted) and the budget tally (when a cap is crossed every in-flight call is aborted).
 *
 * Branches of a LangGraph superstep share no memory but this process, so the coordinator is
 * looked up by the turn id the `Send` payloads carry. After a restart a fresh coordinator
 * starts from the spend recorded in state (`baseline`).
 */
export class TurnCoordinator {
  private readonly inFlight = new Map<number, Set<AbortController>>();
  private readonly successes = new Map<number, number>();
  private readonly graceTimers = new Map<number, ReturnType<typeof setTimeout>>();
  readonly tally: SpendTally | undefined;

  constructor(private readonly plan: MoaPlan) {
    this.tally = plan.budget ? new SpendTally(plan.budget) : undefined;
  }

  /** Registers a branch's call; the returned controller is aborted with a {@link CancelReason}. */
  enter(layer: number): AbortController {
    const controller = new AbortController();
    let calls = this.inFlight.get(layer);
    if (!calls) this.inFlight.set(layer, (calls = new Set()));
    calls.add(controller);
    return controller;
  }

  /** Unregisters a branch's call and counts a success towards the layer's quorum. */
  leave(layer: number, controller: AbortController, succeeded: boolean): void {
    this.inFlight.get(layer)?.delete(controller);
    if (!succeeded) return;
    const count = (this.successes.get(layer) ?? 0) + 1;
    this.successes.set(layer, count);
    const grace = this.plan.stragglerGraceMs;
    if (grace === undefined || count < this.plan.minProposals || this.graceTimers.has(layer))
      return;
    const timer = setTimeout(() => {
      this.abortLayer(layer, {
        kind: "straggler",
        message: `cancelled: straggler cut-off (quorum of ${this.plan.minProposals} met, ${grace} ms grace elapsed)`,
      });
    }, grace);
    // A pending cut-off must never keep the process alive.
    timer.unref?.();
    this.graceTimers.set(layer, timer);
  }

  /** Aborts every in-flight call of every layer (budget crossed). */
  abortAll(reason: CancelReason): void {
    for (const layer of this.inFlight.keys()) this.abortLayer(layer, reason);
  }

  /** Releases the timers of a finished layer. */
  closeLayer(layer: number): void {
    clearTimeout(this.graceTimers.get(layer));
    this.graceTimers.delete(layer);
    this.inFlight.delete(layer);
  }

  private abortLayer(layer: number, reason: CancelReason): void {
    for (const controller of this.inFlight.get(layer) ?? []) controller.abort(reason);
  }
}

/** Bounded registry of the turns running in this process, by turn id. */
export class TurnRegistry {
  private readonly turns = new Map<string, TurnCoordinator>();

  constructor(private readonly limit = 1024) {}

  /** The coordinator of a turn, created on first use. */
  get(turnId: string, plan: MoaPlan): TurnCoordinator {
    let coordinator = this.turns.get(turnId);
    if (!coordinator) {
      coordinator = new TurnCoordinator(plan);
      // Turns that failed never call `release`; drop the oldest rather than grow forever.
      if (this.turns.size >= this.limit) this.turns.delete(this.turns.keys().next().value!);
      this.turns.set(turnId, coordinator);
    }
    return coordinator;
  }

  /** Forgets a finished turn. */
  release(turnId: string): void {
    this.turns.delete(turnId);
  }
}

/** True when an abort reason came from a {@link TurnCoordinator}. */
export function isCancelReason(reason: unknown): reason is CancelReason {
  const kind = (reason as CancelReason | null)?.kind;
  return kind === "straggler" || kind === "budget";
}
