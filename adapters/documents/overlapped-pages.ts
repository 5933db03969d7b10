/**
 * Pages of license files made on the calling thread while the page before is being stored: the
 * store's writing thread (atomic-file.ts) spends most of a page's time waiting for the disk's
 * flushes, and the calling thread, waiting with it, laid out and sealed nothing meanwhile — on an
 * ext4 disk some 0.4 ms a file of the ~1 ms a file took (docs/ofd.md, Cost). A page is recorded
 * only once its store resolved (every file durable at its path), one page at a time, in order;
 * the next page is stored only after that, so a process killed at any moment leaves on disk at
 * most the pages recorded and one more whose files the ledger does not list (the state a run
 * killed between writing and recording always left, which the rerun issues again in place).
 * A stop raised while a page is made (SIGTERM) lets the page being stored finish and be recorded,
 * and drops the page made: its versions stay without a file, as a run stopping before it was made
 * left them, and the rerun issues them.
 * `sign files` and `sign backfill --files` run their pages through it (pipelines/issue-file-pages.ts),
 * and bench/license-files.ts measures it as they run it.
 */

export interface PageSteps<P, S> {
  /**
   * The next page ready to store (laid out and sealed), or null when none is left or the run
   * stops. Called while the page before is being stored; never twice at once.
   */
  make(): Promise<P | null>;
  /** Starts storing a page; resolves once every file of it is durably in place. */
  store(page: P): Promise<S>;
  /** Records a page stored: only once its `store` resolved, one page at a time, in order. */
  record(page: P, stored: S): Promise<void>;
  /**
   * True once the run is to stop: checked again before a page made is stored, as `make` (which
   * checks it before a page is begun) may have been laying that page out when the stop came.
   */
  stopping?(): boolean;
}

/**
 * Makes, stores and records pages until `make` gives none. When it throws, no write of the store
 * is still under way (the caller may release the store's lock): a page being stored when `make`
 * failed is waited for and, stored, recorded, as it was when pages ran one after another; the
 * first failure is thrown.
 */
export async function storeOverlapped<P, S>(steps: PageSteps<P, S>): Promise<void> {
  let storing: { page: P; stored: Promise<S> } | undefined;
  try {
    for (;;) {
      const page = await steps.make();
      if (storing !== undefined) {
        const { page: done, stored } = storing;
        storing = undefined;
        await steps.record(done, await stored);
      }
      if (page === null || (steps.stopping?.() ?? false)) return;
      const stored = steps.store(page);
      // Awaited only after the next page is made: a handler now, or a failed store would end the
      // process as an unhandled rejection meanwhile.
      stored.catch(() => undefined);
      storing = { page, stored };
    }
  } catch (e) {
    if (storing !== undefined) {
      const { page, stored } = storing;
      const settled = await stored.then(
        (s) => ({ s }),
        () => undefined,
      );
      if (settled !== undefined) await steps.record(page, settled.s).catch(() => undefined);
    }
    throw e;
  }
}
