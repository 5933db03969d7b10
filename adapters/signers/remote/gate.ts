/** A counting semaphore: at most `limit` requests in flight across every `sign()` call. */
export class Gate {
  #free: number;
  /** Each told `true` when it takes a slot, `false` when let go without one (leaveAll). */
  readonly #waiting: ((slot: boolean) => void)[] = [];
  constructor(limit: number) {
    this.#free = limit;
  }
  async run<T>(work: () => Promise<T>): Promise<T> {
    let slot = true;
    if (this.#free > 0) this.#free--;
    else slot = await new Promise<boolean>((resolve) => this.#waiting.push(resolve));
    // Let go without a slot: the work runs at once, outside the limit (a closed signer's request
    // refuses itself before sending, ./http.ts), and hands back no slot it never took.
    if (!slot) return work();
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next(true);
      else this.#free++;
    }
  }
  /** Lets every waiting call go without a slot. */
  leaveAll(): void {
    for (const next of this.#waiting.splice(0)) next(false);
  }
}
