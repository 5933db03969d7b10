/**
 * Hosts whose clocks are off the ledger's, and time passing on the ledger, for tests of what is
 * judged by the ledger's clock (ledger/db-clock.ts). A host is this process with `Date` faked (the
 * database keeps its own time); time passing is a lease's end moved back in the database itself,
 * which waiting out a lease would take real seconds to do.
 */
import type { Knex } from 'knex';
import { vi } from 'vitest';
import { rawKnex } from './raw-knex.js';

/** How far off the skewed hosts' clocks are: 10 minutes, far past any lease or stale window. */
export const SKEW_MS = 10 * 60_000;

/** Runs `work` as a host whose clock is `skewMs` off. */
export async function atHost<T>(skewMs: number, work: () => Promise<T>): Promise<T> {
  vi.useRealTimers();
  vi.setSystemTime(Date.now() + skewMs);
  try {
    return await work();
  } finally {
    vi.useRealTimers();
  }
}

/**
 * Moves the lease's end (`claimed_until`) of `table`'s rows `scope` names back by `ms`: as if the
 * ledger's clock had gone on that long since the lease was written. Returns how many rows it moved.
 */
export async function ageLeases(
  url: string,
  table: 'deliveries' | 'reminders',
  ms: number,
  scope: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<number> {
  const raw = rawKnex(url);
  try {
    const back = url.startsWith('sqlite://')
      ? raw.raw("strftime('%Y-%m-%dT%H:%M:%fZ', claimed_until, ?)", [`-${(ms / 1000).toFixed(3)} seconds`])
      : raw.raw("claimed_until - ? * interval '1 millisecond'", [ms]);
    return await scope(raw(table)).whereNotNull('claimed_until').update({ claimed_until: back });
  } finally {
    await raw.destroy();
  }
}
