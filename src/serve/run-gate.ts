/**
 * Admission control of the server: at most `maxConcurrency` runs at once, at most `maxQueue`
 * waiting; {@link RunGate.acquire} returns `undefined` when the queue is full (the caller answers
 * 429).
 */
export class RunGate {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(
    readonly maxConcurrency: number,
    readonly maxQueue: number,
  ) {}

  /** Runs in progress. */
  get running(): number {
    return this.#running;
  }

  /**
   * Waits for a free slot and returns its release function (call it once), or `undefined` at
   * once when `maxQueue` requests already wait. An aborted `signal` leaves the queue.
   */
  acquire(signal?: AbortSignal): Promise<(() => void) | undefined> {
    if (this.#running < this.maxConcurrency) {
      this.#running += 1;
      return Promise.resolve(this.#release());
    }
    if (this.#waiting.length >= this.maxQueue || signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const admit = () => {
        signal?.removeEventListener("abort", leave);
        this.#running += 1;
        resolve(this.#release());
      };
      const leave = () => {
        const index = this.#waiting.indexOf(admit);
        if (index >= 0) this.#waiting.splice(index, 1);
        resolve(undefined);
      };
      signal?.addEventListener("abort", leave, { once: true });
      this.#waiting.push(admit);
    });
  }

  #release(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running -= 1;
      this.#waiting.shift()?.();
    };
  }
}
