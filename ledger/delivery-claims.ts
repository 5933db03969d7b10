/**
 * Leases on deliveries being sent. BullMQ is at-least-once and a sweep may enqueue a key again,
 * so two jobs can hold the same open delivery; the one that claims it sends it, the other waits.
 * A lease ends when the sender records the outcome, or when it runs out (the sender died), after
 * which the delivery may be claimed and sent again — the platform's idempotency key covers that.
 */
import { chunk, type Db, nowIso } from './db.js';

export async function claimDeliveries(
  db: Db,
  keys: readonly string[],
  owner: string,
  leaseMs: number,
): Promise<string[]> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return [];
  const now = nowIso();
  const until = new Date(Date.now() + leaseMs).toISOString();
  // One statement per chunk: RETURNING names the keys `owner` holds now — those it just leased
  // and those it held already (their lease is renewed).
  return db.write('claimDeliveries', async (trx) => {
    const out: string[] = [];
    for (const part of chunk(unique, db.maxParams - 8)) {
      const rows: { delivery_key: string }[] = await trx('deliveries')
        .whereIn('delivery_key', part)
        .andWhere((q) =>
          q
            .where((open) =>
              open
                .whereIn('state', ['pending', 'rejected'])
                .andWhere((free) => free.whereNull('claimed_until').orWhere('claimed_until', '<', now)),
            )
            .orWhere('claim_owner', owner),
        )
        .update({ claim_owner: owner, claimed_until: until })
        .returning('delivery_key');
      out.push(...rows.map((r) => r.delivery_key));
    }
    return out;
  });
}

export async function releaseDeliveries(db: Db, keys: readonly string[], owner: string): Promise<void> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return;
  await db.write('releaseDeliveries', async (trx) => {
    for (const part of chunk(unique, db.maxParams - 1)) {
      await trx('deliveries')
        .whereIn('delivery_key', part)
        .andWhere('claim_owner', owner)
        .update({ claim_owner: null, claimed_until: null });
    }
  });
}
