/**
 * Delivery order, as a pure plan: which open deliveries may go now (in waves, each wave after the
 * one holding its predecessor), which wait for a predecessor still on its way, and which are
 * blocked behind a dead-lettered predecessor. A version's predecessor is its license's version
 * before, or for a first version the license it continues (another license's version): one plan
 * orders both.
 */
import type { DeliveryPredecessor, StoredDelivery } from '../../ledger/ledger.js';

export interface WavePlan {
  waves: StoredDelivery[][];
  waiting: StoredDelivery[];
  blocked: { row: StoredDelivery; predecessorKey: string }[];
}

/** Predecessor states that let a successor go. `discarded`: an operator closed it on purpose. */
const LANDED = new Set(['accepted', 'discarded']);

type Place = { depth: number } | { blockedBy: string } | 'waiting';

export function planWaves(open: readonly StoredDelivery[], preds: readonly DeliveryPredecessor[]): WavePlan {
  const predOf = new Map(preds.map((p) => [p.versionId, p]));
  const openIds = new Set(open.map((r) => r.versionId));
  const placed = new Map<number, Place>();
  const plan: WavePlan = { waves: [], waiting: [], blocked: [] };

  // A predecessor in this call is placed before its successor, wherever it sorts: a renewal's
  // license id may sort before the one it continues. Chains are short (a license's versions, a
  // renewal of a renewal); one that loops (no ledger writes one) waits rather than going first.
  const place = (versionId: number, seen: Set<number>): Place => {
    const done = placed.get(versionId);
    if (done !== undefined) return done;
    const p = predOf.get(versionId);
    let at: Place;
    if (!p || LANDED.has(p.previousState ?? '')) at = { depth: 0 };
    else if (openIds.has(p.previousVersionId)) {
      if (seen.has(p.previousVersionId)) at = 'waiting';
      else {
        seen.add(versionId);
        const before = place(p.previousVersionId, seen);
        at =
          before === 'waiting'
            ? 'waiting'
            : 'blockedBy' in before
              ? { blockedBy: p.previousKey }
              : { depth: before.depth + 1 };
      }
    } else if (p.previousState === 'dead') at = { blockedBy: p.previousKey };
    else at = 'waiting';
    placed.set(versionId, at);
    return at;
  };

  const sorted = [...open].sort((a, b) => a.licenseId.localeCompare(b.licenseId) || a.version - b.version);
  for (const row of sorted) {
    const at = place(row.versionId, new Set([row.versionId]));
    if (at === 'waiting') plan.waiting.push(row);
    else if ('blockedBy' in at) plan.blocked.push({ row, predecessorKey: at.blockedBy });
    else {
      while (plan.waves.length <= at.depth) plan.waves.push([]);
      plan.waves[at.depth]?.push(row);
    }
  }
  return plan;
}
