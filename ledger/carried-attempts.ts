import type { Knex } from 'knex';

/**
 * The columns a write that puts a delivery's `attempts` back to 0 (a replay, a reopening) sets
 * beside it: the round's tries, and its tries beyond the first, carried into
 * `carried_attempts` / `carried_retries` (migration 048), so the counters `delivery_attempts_total`
 * and `delivery_retries_total` never go down. Both read the row as it was before the write; null
 * there (PostgreSQL, since migration 051: nothing carried yet) counts as 0.
 */
export function carryAttempts(
  trx: Knex.Transaction,
): Record<'carried_attempts' | 'carried_retries', Knex.Raw> {
  return {
    carried_attempts: trx.raw('coalesce(carried_attempts, 0) + attempts'),
    carried_retries: trx.raw(
      'coalesce(carried_retries, 0) + (case when attempts > 1 then attempts - 1 else 0 end)',
    ),
  };
}
