import type { Knex } from 'knex';

/**
 * The columns a write that puts a delivery's `attempts` back to 0 (a replay, a reopening) sets
 * beside it: the round's tries, and its tries beyond the first, carried into
 * `carried_attempts` / `carried_retries` (migration 048), so the counters `delivery_attempts_total`
 * and `delivery_retries_total` never go down. Both read the row as it was before the write.
 */
export function carryAttempts(
  trx: Knex.Transaction,
): Record<'carried_attempts' | 'carried_retries', Knex.Raw> {
  return {
    carried_attempts: trx.raw('carried_attempts + attempts'),
    carried_retries: trx.raw('carried_retries + (case when attempts > 1 then attempts - 1 else 0 end)'),
  };
}
