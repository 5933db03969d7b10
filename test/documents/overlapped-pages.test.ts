// Pages made while the page before is stored (adapters/documents/overlapped-pages.ts): a page is
// recorded only once its store resolved, in order; the next page is stored only after the one
// before is recorded; a failure leaves no write under way and loses no page already stored; a stop
// stores no page made after it was raised.
import { describe, expect, it } from 'vitest';
import { storeOverlapped } from '../../adapters/documents/overlapped-pages.js';

/** A store that finishes a few turns of the event loop later, as the writing thread does. */
const later = (): Promise<void> =>
  new Promise((resolve) => setImmediate(() => setImmediate(() => setImmediate(resolve))));

interface Trace {
  events: string[];
  placed: Set<number>;
}

function steps(
  pages: number,
  trace: Trace,
  fail: { make?: number; store?: number } = {},
  /** The page during whose making a stop is raised (SIGTERM to `sign files`). */
  stopWhileMaking?: number,
) {
  let made = 0;
  let stopped = false;
  return {
    stopping: (): boolean => stopped,
    make: async (): Promise<number | null> => {
      // As makePage (pipelines/issue-file-pages.ts): a stop raised before a page is begun.
      if (stopped) return null;
      made++;
      if (made === stopWhileMaking) stopped = true;
      if (made === fail.make) throw new Error(`make ${made} failed`);
      if (made > pages) return null;
      trace.events.push(`make ${made}`);
      return made;
    },
    store: async (page: number): Promise<string> => {
      trace.events.push(`store ${page}`);
      await later();
      if (page === fail.store) throw new Error(`store ${page} failed`);
      trace.placed.add(page);
      trace.events.push(`placed ${page}`);
      return `files of ${page}`;
    },
    record: async (page: number, stored: string): Promise<void> => {
      // What a user relies on: the ledger lists a file only once it is in place.
      expect(trace.placed.has(page)).toBe(true);
      expect(stored).toBe(`files of ${page}`);
      trace.events.push(`record ${page}`);
    },
  };
}

/** The events up to page 2's store, the same whatever follows. */
const firstPageRecorded = [
  'make 1',
  'store 1',
  // Page 2 made while page 1's files are still being written.
  'make 2',
  'placed 1',
  'record 1',
  'store 2',
];

describe('storeOverlapped', () => {
  it('makes the next page while one is stored, and records each only once it is in place', async () => {
    const trace: Trace = { events: [], placed: new Set() };
    await storeOverlapped(steps(3, trace));
    expect(trace.events).toEqual([
      ...firstPageRecorded,
      'make 3',
      'placed 2',
      'record 2',
      'store 3',
      'placed 3',
      'record 3',
    ]);
  });

  it('a page failing to be made: the page being stored is finished and recorded, then the failure', async () => {
    const trace: Trace = { events: [], placed: new Set() };
    await expect(storeOverlapped(steps(5, trace, { make: 3 }))).rejects.toThrow('make 3 failed');
    expect(trace.events.slice(-3)).toEqual(['store 2', 'placed 2', 'record 2']);
  });

  it('a store failing: its page is not recorded and no later page is stored', async () => {
    const trace: Trace = { events: [], placed: new Set() };
    await expect(storeOverlapped(steps(5, trace, { store: 2 }))).rejects.toThrow('store 2 failed');
    expect(trace.events).toEqual([...firstPageRecorded, 'make 3']);
  });

  it('a stop raised while a page is made: the page being stored is recorded, the one made is not stored', async () => {
    const trace: Trace = { events: [], placed: new Set() };
    await storeOverlapped(steps(5, trace, {}, 2));
    // Page 2's versions stay without a file, for the rerun to issue.
    expect(trace.events).toEqual(['make 1', 'store 1', 'make 2', 'placed 1', 'record 1']);
  });
});
