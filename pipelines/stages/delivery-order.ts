/**
 * Per-license delivery order, as a pure plan: which open deliveries may go now (in waves, each
 * wave after the one holding its predecessor), which wait for a predecessor still on its way,
 * and which are blocked behind a dead-lettered predecessor.
 */
import type { DeliveryPredecessor, StoredDelivery } from '../../ledger/ledger.js';

export interface WavePlan {
  waves: StoredDelivery[][];
  waiting: StoredDelivery[];
  blocked: { row: StoredDelivery; predecessorKey: string }[];
}

/** Predecessor states that let a successor go. `discarded`: an operator closed it on purpose. */
const LANDED = new Set(['accepted', 'discarded']);

export function planWaves(open: readonly StoredDelivery[], preds: readonly DeliveryPredecessor[]): WavePlan {
  const predOf = new Map(preds.map((p) => [p.versionId, p]));
  const openIds = new Set(open.map((r) => r.versionId));
  const depth = new Map<number, number>();
  const plan: WavePlan = { waves: [], waiting: [], blocked: [] };
  const blockedKey = new Map<number, string>();
  const waitingIds = new Set<number>();

  // Versions of one license are numbered consecutively, so walking in version id order
  // meets each predecessor before its successor.
  const sorted = [...open].sort((a, b) => a.licenseId.localeCompare(b.licenseId) || a.version - b.version);
  for (const row of sorted) {
    const p = predOf.get(row.versionId);
    if (!p || LANDED.has(p.previousState ?? '')) {
      depth.set(row.versionId, 0);
    } else if (openIds.has(p.previousVersionId)) {
      const before = blockedKey.get(p.previousVersionId);
      if (before !== undefined) blockedKey.set(row.versionId, p.previousKey);
      else if (waitingIds.has(p.previousVersionId)) waitingIds.add(row.versionId);
      else depth.set(row.versionId, (depth.get(p.previousVersionId) ?? 0) + 1);
    } else if (p.previousState === 'dead') {
      blockedKey.set(row.versionId, p.previousKey);
    } else {
      waitingIds.add(row.versionId);
    }
  }
  for (const row of sorted) {
    const d = depth.get(row.versionId);
    const bk = blockedKey.get(row.versionId);
    if (bk !== undefined) plan.blocked.push({ row, predecessorKey: bk });
    else if (d === undefined) plan.waiting.push(row);
    else {
      while (plan.waves.length <= d) plan.waves.push([]);
      plan.waves[d]?.push(row);
    }
  }
  return plan;
}
