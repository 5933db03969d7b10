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
  await db.write('claimDeliveries', async (trx) => {
    for (const part of chunk(unique, db.maxParams - 8)) {
      await trx('deliveries')
        .whereIn('delivery_key', part)
        .whereIn('state', ['pending', 'rejected'])
        .andWhere((q) => q.whereNull('claimed_until').orWhere('claimed_until', '<', now))
        .update({ claim_owner: owner, claimed_until: until });
    }
  });
  return db.read('claimDeliveries', async (k) => {
    const out: string[] = [];
    for (const part of chunk(unique, db.maxParams - 1)) {
      const rows: { delivery_key: string }[] = await k('deliveries')
        .select('delivery_key')
        .whereIn('delivery_key', part)
        .andWhere('claim_owner', owner);
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
