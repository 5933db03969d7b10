/**
 * What a pipeline owes per target, from the kept counts (status-counts.ts) rather than a scan of
 * its versions per target: at 500,000 versions each target's count of signed versions without a
 * final delivery read every signed version once (0.7-1.9 s), and status asks it of every pipeline.
 *
 * Deliveries are one per version and target (`deliveries_pk`), signatures one per version and seal
 * (`signatures_pk`), so of the versions signed by the seal (S), those with a final delivery at a
 * target are the final deliveries less those of versions not signed by it (U, the unsigned):
 *   undelivered = |S| − (final − final of U),   in review = submitted − submitted of U.
 * U is empty once a run's signing is done: then every figure is a few rows of counts. While
 * versions await the seal, their deliveries (usually none) are counted in one read over the
 * pipeline's versions, for all targets at once — the read `awaitingSignature` made before the
 * counts were kept, not one per target.
 *
 * The counts are read one table after another, not in one snapshot: deliveries first, so a version
 * signed and delivered between two reads counts as still owed (a sweep finds nothing to do), never
 * as delivered while it is not.
 */
import { type Db, toInt } from './db.js';
import { whereHashedKey } from './hashed-keys.js';
import { readStatusCounts } from './status-counts.js';

/** Delivery states that end a delivery: nothing more is sent for them without an operator. */
export const FINAL_DELIVERY_STATES = ['accepted', 'dead', 'discarded', 'rejected'] as const;

export interface KeptBacklog {
  unsigned: number;
  undelivered: Record<string, number>;
  /** Signed versions whose delivery at the target is `submitted` (in review). */
  submitted: Record<string, number>;
  /**
   * Deliveries of the pipeline's versions in review at the target, signed or not. None does not mean
   * none is held: a renewal may wait on a review of another pipeline's license (backlog.ts).
   */
  reviews: Record<string, number>;
}

export async function keptBacklog(
  db: Db,
  pipeline: string,
  sealId: string,
  targets: readonly string[],
): Promise<KeptBacklog> {
  const deliveries = await readStatusCounts(db, 'delivery_counts', { pipeline });
  const [versions, signed] = await Promise.all([
    readStatusCounts(db, 'version_counts', { pipeline }),
    readStatusCounts(db, 'signature_counts', { pipeline, seal_id: sealId }),
  ]);
  const signedCount = Number(signed[0]?.row_count ?? 0);
  const unsigned = Math.max(0, Number(versions[0]?.row_count ?? 0) - signedCount);
  const ofUnsigned = unsigned > 0 ? await unsignedDeliveries(db, pipeline, sealId) : [];
  const count = (
    rows: readonly Record<string, string | number>[],
    target: string,
    states: readonly string[],
  ) =>
    rows
      .filter((r) => r.target === target && states.includes(String(r.state)))
      .reduce((n, r) => n + Number(r.row_count), 0);
  const undelivered: Record<string, number> = {};
  const submitted: Record<string, number> = {};
  const reviews: Record<string, number> = {};
  for (const target of targets) {
    const final =
      count(deliveries, target, FINAL_DELIVERY_STATES) - count(ofUnsigned, target, FINAL_DELIVERY_STATES);
    undelivered[target] = Math.max(0, signedCount - final);
    reviews[target] = count(deliveries, target, ['submitted']);
    const inReview = reviews[target] - count(ofUnsigned, target, ['submitted']);
    submitted[target] = Math.min(undelivered[target], Math.max(0, inReview));
  }
  return { unsigned, undelivered, submitted, reviews };
}

/** Deliveries of the pipeline's versions not signed by the seal, by target and state. */
async function unsignedDeliveries(
  db: Db,
  pipeline: string,
  sealId: string,
): Promise<Record<string, string | number>[]> {
  return db.read('unsignedDeliveries', async (k) => {
    const rows: { target: string; state: string; n: unknown }[] = await k('license_versions as v')
      .join('deliveries as d', 'd.version_id', 'v.version_id')
      .modify((q) => whereHashedKey(k, q, 'v.pipeline', pipeline))
      .whereNotExists(function unsigned() {
        this.select(k.raw('1'))
          .from('signatures as s')
          .whereRaw('s.version_id = v.version_id')
          .andWhere('s.seal_id', sealId);
      })
      .groupBy('d.target', 'd.state')
      .select('d.target as target', 'd.state as state')
      .count({ n: '*' });
    return rows.map((r) => ({ target: r.target, state: r.state, row_count: toInt(r.n) }));
  });
}
