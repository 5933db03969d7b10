/**
 * Leases on deliveries being sent. BullMQ is at-least-once and a sweep may enqueue a key again,
 * so two jobs can hold the same open delivery; the one that claims it sends it, the other waits.
 * A lease ends when the sender records the outcome, or when it runs out (the sender died), after
 * which the delivery may be claimed and sent again — the platform's idempotency key covers that.
 *
 * A lease the owner holds with at least the asked length still to run is taken as it is, not
 * written again: the rows a sender has just created come leased to it for a little longer than the
 * lease (deliveries.ts `ensureDeliveries`, `newRowLeaseMs`), and renewing them would write each row
 * once more for nothing (on PostgreSQL, a dead row version and new index entries per delivery until
 * vacuum). A lease with less left is renewed: a claim always leaves its owner the whole lease for
 * the send that follows (a poll or an earlier wave may have used part of the first one).
 */
import { type Db, nowIso } from './db.js';
import { keyOfRef, refsByTarget, resolveDeliveryKeys, whereRefs } from './delivery-keys.js';

/**
 * The lease a row is written with when its sender creates it (deliveries.ts `ensureDeliveries`):
 * `leaseMs` and a grace of half of it, at most 5 s, for the reads between the insert and the first
 * claim, so that claim finds the whole lease still to run and takes the row without writing it. A
 * claim later than the grace renews the lease. A sender that dies before its claim leaves the rows
 * to the others this much later.
 */
export function newRowLeaseMs(leaseMs: number): number {
  return leaseMs + Math.min(leaseMs / 2, 5_000);
}

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
  // Per target and chunk: the deliveries `owner` holds until `until` or later, as they are; then
  // one statement whose RETURNING names those it just leased and those it held with less left
  // (their lease is renewed).
  return db.write('claimDeliveries', async (trx) => {
    const out: string[] = [];
    for (const group of refsByTarget(refs, db.maxParams - 9)) {
      const held: { version_id: unknown; target: string }[] = await whereRefs(
        trx('deliveries').select('version_id', 'target'),
        group,
      )
        .andWhere('claim_owner', owner)
        .andWhere('claimed_until', '>=', until);
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
                .andWhere((short) => short.whereNull('claimed_until').orWhere('claimed_until', '<', until)),
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
