/**
 * A delivery's `revision` (migration 041): a count of the row's writes — outcomes, attempts,
 * reopenings, replays, discards — that only grows. A write decided from a read (a job giving up on
 * its open deliveries, one ending its deferrals) is made only while the revision is the one it
 * read (delivery-outcomes.ts). `attempts` cannot serve: a reopening and a replay put it back to 0.
 *
 * Rows written before 041 hold none: until their first write theirs is their `attempts` (each
 * answer and attempt counted one there), so the upgrade adds a column and writes no row. Every
 * write sets it from that, one more.
 */
import type { Knex } from 'knex';

/** The revision of the `deliveries` row named `alias`, as SQL. */
export function revisionOf(alias = 'deliveries'): string {
  return `coalesce(${alias}.revision, ${alias}.attempts)`;
}

/** The revision a write of a row sets (from the row as it was before the write): one more. */
export function nextRevision(k: Knex): Knex.Raw {
  return k.raw(`${revisionOf()} + 1`);
}
