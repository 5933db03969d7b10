/**
 * What the deliver stage needs to keep each license's versions in order at a platform, and what a
 * sweep needs to find work lost with the queue: the delivery state of each version's predecessor,
 * and the delivery state of a set of versions at one target.
 */
import { chunk, type Db, toInt } from './db.js';
import type { DeliveryPredecessor, DeliveryRowState, VersionDeliveryState } from './ledger.js';
import { deliveryKey } from './rows.js';

/**
 * For each given version after the first: its predecessor (same license, version − 1) and that
 * predecessor's delivery state at `target` (`null` when no delivery row exists there yet).
 */
export async function deliveryPredecessors(
  db: Db,
  versionIds: readonly number[],
  target: string,
): Promise<DeliveryPredecessor[]> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0) return [];
  return db.read('deliveryPredecessors', async (k) => {
    const out: DeliveryPredecessor[] = [];
    for (const part of chunk(ids, db.maxParams - 1)) {
      const rows: {
        version_id: unknown;
        prev_id: unknown;
        license_id: string;
        prev_version: unknown;
        state: string | null;
      }[] = await k('license_versions as v')
        .join('license_versions as p', function () {
          this.on('p.license_id', '=', 'v.license_id').andOn('p.version', '=', k.raw('v.version - 1'));
        })
        .leftJoin('deliveries as d', function () {
          this.on('d.version_id', '=', 'p.version_id').andOn('d.target', '=', k.raw('?', [target]));
        })
        .whereIn('v.version_id', part)
        .select(
          'v.version_id',
          'p.version_id as prev_id',
          'p.license_id',
          'p.version as prev_version',
          'd.state',
        );
      for (const r of rows) {
        out.push({
          versionId: toInt(r.version_id),
          previousVersionId: toInt(r.prev_id),
          previousKey: deliveryKey(r.license_id, toInt(r.prev_version), target),
          previousState: (r.state ?? null) as DeliveryRowState | null,
        });
      }
    }
    return out.sort((a, b) => a.versionId - b.versionId);
  });
}

/** The delivery state of each given version at `target`; `null` where no delivery row exists. */
export async function deliveryStates(
  db: Db,
  versionIds: readonly number[],
  target: string,
): Promise<VersionDeliveryState[]> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0) return [];
  return db.read('deliveryStates', async (k) => {
    const out: VersionDeliveryState[] = [];
    for (const part of chunk(ids, db.maxParams - 1)) {
      const rows: {
        version_id: unknown;
        license_id: string;
        version: unknown;
        pipeline: string;
        run_id: string;
        state: string | null;
      }[] = await k('license_versions as v')
        .leftJoin('deliveries as d', function () {
          this.on('d.version_id', '=', 'v.version_id').andOn('d.target', '=', k.raw('?', [target]));
        })
        .whereIn('v.version_id', part)
        .select('v.version_id', 'v.license_id', 'v.version', 'v.pipeline', 'v.run_id', 'd.state');
      for (const r of rows) {
        out.push({
          versionId: toInt(r.version_id),
          pipeline: r.pipeline,
          runId: r.run_id,
          key: deliveryKey(r.license_id, toInt(r.version), target),
          state: (r.state ?? null) as DeliveryRowState | null,
        });
      }
    }
    return out.sort((a, b) => a.versionId - b.versionId);
  });
}
