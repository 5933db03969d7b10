/** Below this many entries the map is not swept: a sweep would cost more than it frees. */
const SWEEP_MIN = 64;

/**
 * Marking a run `done` from the workers that finish its deliveries. The check (`completeRun`)
 * counts the whole run — versions, signatures, deliveries — so making it after every job of a
 * large run costs O(run) per job, O(run²) in all, and on SQLite it runs on the event loop.
 *
 * Per run and process: a check runs at once when the last one ended long enough ago; otherwise one
 * check is scheduled for when that time is over, and every job meanwhile joins it; so does every job
 * ending while a check is under way, one check of a run at a time. The run is
 * marked done at most one interval after its last job, and counting takes a bounded share of the
 * time: the interval grows with what the last check cost (ten times its duration, at least
 * `minIntervalMs`), up to `maxIntervalMs`. The cap matters after a ledger outage: a check that
 * spent a minute retrying says nothing about what counting costs, and ten times it would leave a
 * finished run `running` for ten minutes.
 *
 * An entry is kept only while it matters: a check pending or running, or its interval not over.
 * Past that it says no more than no entry (check at once), and a worker living for months sees
 * a new run every few minutes: such entries are dropped whenever the map has doubled since the
 * last sweep, so it holds about the runs of the last interval, amortised O(1) a check.
 */
export class RunCompletion {
  readonly #minIntervalMs: number;
  readonly #maxIntervalMs: number;
  readonly #onError: (runId: string, error: unknown) => void;
  readonly #runs = new Map<
    string,
    { nextAt: number; timer?: NodeJS.Timeout; check?: () => Promise<unknown>; busy?: boolean }
  >();
  /** The map's size after the last sweep: the next sweeps once it has doubled. */
  #sweptAt = 0;
  /** Checks under way, which `flush` waits for as well. */
  readonly #running = new Set<Promise<void>>();

  constructor(options: {
    minIntervalMs?: number;
    maxIntervalMs?: number;
    onError: (runId: string, error: unknown) => void;
  }) {
    this.#minIntervalMs = options.minIntervalMs ?? 1000;
    this.#maxIntervalMs = Math.max(this.#minIntervalMs, options.maxIntervalMs ?? 10_000);
    this.#onError = options.onError;
  }

  /**
   * Checks `runId` now, or schedules the check; `check` is the latest job's way to make it. Never
   * rejects: a check that fails, now or later, goes to `onError`. Thrown out of the job that made
   * it, a check failing with the ledger away failed that job, its sends all recorded, and on its
   * last attempt the job's run was failed with every license delivered.
   */
  async check(runId: string, check: () => Promise<unknown>): Promise<void> {
    if (this.#runs.size >= Math.max(SWEEP_MIN, 2 * this.#sweptAt)) this.#sweep(Date.now());
    const state = this.#runs.get(runId) ?? { nextAt: 0 };
    this.#runs.set(runId, state);
    state.check = check;
    // A check under way may have counted before this job's work was recorded: this job joins the
    // next check, scheduled when that one ends. Started beside it, every job ending during a long
    // check of a large run made a full count of its own at once.
    if (state.timer || state.busy) return;
    const wait = state.nextAt - Date.now();
    if (wait <= 0) {
      await this.#run(runId).catch((e: unknown) => this.#onError(runId, e));
      return;
    }
    this.#schedule(runId, state, wait);
  }

  #schedule(runId: string, state: { timer?: NodeJS.Timeout }, wait: number): void {
    state.timer = setTimeout(() => {
      state.timer = undefined;
      this.#run(runId).catch((e: unknown) => this.#onError(runId, e));
    }, wait);
    state.timer.unref();
  }

  /**
   * Makes every scheduled check now, and waits for those under way (a closing worker leaves none
   * behind). One whose timer had fired was left running: the ledger was closed under it, and the
   * run whose last delivery was just recorded stayed `running` until the pipeline's next job.
   */
  async flush(): Promise<void> {
    // Until nothing is left: a check that ends here schedules the one jobs joined meanwhile.
    for (;;) {
      const due = [...this.#runs.entries()].filter(([, s]) => s.timer);
      const under = [...this.#running];
      if (due.length === 0 && under.length === 0) return;
      for (const [, s] of due) {
        clearTimeout(s.timer);
        s.timer = undefined;
      }
      await Promise.all([
        ...under.map((p) => p.catch(() => undefined)),
        ...due.map(([runId]) => this.#run(runId).catch((e: unknown) => this.#onError(runId, e))),
      ]);
    }
  }

  /** Entries kept, for tests: pending checks and runs checked within their interval. */
  get size(): number {
    return this.#runs.size;
  }

  /** Drops the entries that say no more than none: nothing pending or running, interval over. */
  #sweep(now: number): void {
    for (const [runId, s] of this.#runs) {
      if (!s.timer && !s.check && !s.busy && s.nextAt <= now) this.#runs.delete(runId);
    }
    this.#sweptAt = this.#runs.size;
  }

  async #run(runId: string): Promise<void> {
    const state = this.#runs.get(runId);
    const check = state?.check;
    if (!state || !check) return;
    state.check = undefined;
    state.busy = true;
    const started = Date.now();
    // Whatever `check` throws comes out as this promise's rejection.
    const running = (async () => {
      await check();
    })();
    this.#running.add(running);
    try {
      await running;
    } finally {
      this.#running.delete(running);
      state.busy = false;
      const took = Date.now() - started;
      const interval = Math.min(this.#maxIntervalMs, Math.max(this.#minIntervalMs, 10 * took));
      state.nextAt = Date.now() + interval;
      // Jobs that ended while it ran joined the next check: made once the interval is over.
      if (state.check && !state.timer) this.#schedule(runId, state, interval);
    }
  }
}
