/**
 * Leases on deliveries being sent. BullMQ is at-least-once and a sweep may enqueue a key again,
 * so two jobs can hold the same open delivery; the one that claims it sends it, the other waits.
 * A lease ends when the sender records the outcome, or when it runs out (the sender died), after
 * which the delivery may be claimed and sent again — the platform's idempotency key covers that.
 *
 * A lease the owner holds with at least half its length left is taken as it is, not written again:
 * the rows a sender has just created come leased to it (deliveries.ts `ensureDeliveries`), and
 * renewing them would write each row once more for nothing (on PostgreSQL, a dead row version and
 * new index entries per delivery until vacuum).
 */
import { type Db, nowIso } from './db.js';
import { keyOfRef, refsByTarget, resolveDeliveryKeys, whereRefs } from './delivery-keys.js';

export async function claimDeliveries(
  db: Db,
  keys: readonly string[],
  owner: string,
  leaseMs: number,
): Promise<string[]> {
  if (keys.length === 0) return [];
  const refs = await resolveDeliveryKeys(db, keys);
  if (refs.length === 0) return [];
  const keyOf = keyOfRef(refs);
  const now = nowIso();
  const until = new Date(Date.now() + leaseMs).toISOString();
  const halfway = new Date(Date.now() + leaseMs / 2).toISOString();
  // Per target and chunk: the deliveries `owner` holds with half its lease or more left, as they
  // are; then one statement whose RETURNING names those it just leased and those it held with
  // less left (their lease is renewed).
  return db.write('claimDeliveries', async (trx) => {
    const out: string[] = [];
    for (const group of refsByTarget(refs, db.maxParams - 9)) {
      const held: { version_id: unknown; target: string }[] = await whereRefs(
        trx('deliveries').select('version_id', 'target'),
        group,
      )
        .andWhere('claim_owner', owner)
        .andWhere('claimed_until', '>=', halfway);
      const rows: { version_id: unknown; target: string }[] = await whereRefs(trx('deliveries'), group)
        .andWhere((q) =>
          q
            .where((open) =>
              open
                .whereIn('state', ['pending', 'rejected'])
                .andWhere((free) => free.whereNull('claimed_until').orWhere('claimed_until', '<', now)),
            )
            .orWhere((mine) =>
              mine
                .where('claim_owner', owner)
                .andWhere((short) => short.whereNull('claimed_until').orWhere('claimed_until', '<', halfway)),
            ),
        )
        .update({ claim_owner: owner, claimed_until: until })
        .returning(['version_id', 'target']);
      for (const r of [...held, ...rows]) {
        const key = keyOf(r.version_id, r.target);
        if (key !== undefined) out.push(key);
      }
    }
    return out;
  });
}

export async function releaseDeliveries(db: Db, keys: readonly string[], owner: string): Promise<void> {
  if (keys.length === 0) return;
  const refs = await resolveDeliveryKeys(db, keys);
  if (refs.length === 0) return;
  await db.write('releaseDeliveries', async (trx) => {
    for (const group of refsByTarget(refs, db.maxParams - 2)) {
      await whereRefs(trx('deliveries'), group)
        .andWhere('claim_owner', owner)
        .update({ claim_owner: null, claimed_until: null });
    }
  });
}
