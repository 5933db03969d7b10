/**
 * The dead letters of the versions that come right after given ones at one target: a license's
 * next version, and a first version that continues one of them (a renewal, change or transfer-in
 * naming it as `previousIdentifier`: held-in-review.ts `continuingFirstVersion`). The deliver
 * stage holds each behind the one it follows (ledger/delivery-order.ts), so a job that gave up
 * waiting for that one left them dead (pipelines/held-replay.ts reopens them once it has landed).
 */
import type { Knex } from 'knex';
import { type Db, inLists, toInt } from './db.js';
import { listDeadLetters } from './dead-letters.js';
import { continuingFirstVersion } from './held-in-review.js';
import type { DeadLetter } from './ledger.js';
import { deliveryKey } from './rows.js';

type Found = { license_id: string; version: unknown }[];

/**
 * Dead letters at `target` of the versions following `versionIds`, as listDeadLetters gives them
 * (oldest version first per license). Each version is probed by key: a license's next version by
 * `license_versions_license_version_uq`, a continuing one by `license_versions_continued_idx`
 * (migration 063), and its delivery by its key; a backfill of first versions finds none.
 */
export async function deadSuccessors(
  db: Db,
  versionIds: readonly number[],
  target: string,
): Promise<DeadLetter[]> {
  const ids = [...new Set(versionIds)];
  if (ids.length === 0) return [];
  const pg = db.dialect === 'postgres';
  const found = await db.read('deadSuccessors', async (k) => {
    const keys: string[] = [];
    const dead = (q: Knex.QueryBuilder) =>
      q
        .join('deliveries as d', function () {
          this.on('d.version_id', '=', 'v.version_id').andOn('d.target', '=', k.raw('?', [target]));
        })
        .where('d.state', 'dead')
        .select('v.license_id', 'v.version');
    for (const part of inLists(db, ids, 2)) {
      const next: Found = await dead(
        k('license_versions as p').join('license_versions as v', function () {
          this.on('v.license_id', '=', 'p.license_id').andOn('v.version', '=', k.raw('p.version + 1'));
        }),
      ).whereIn('p.version_id', part);
      // SQLite: `cross join` keeps the order written, and the continuing versions are probed by the
      // name of each version given (`indexed by`), as held-in-review.ts walks them.
      const continuing: Found = await dead(
        k('license_versions as p').crossJoin(
          k.raw(
            pg ? 'license_versions as v' : 'license_versions as v indexed by license_versions_continued_idx',
          ),
        ),
      )
        .whereIn('p.version_id', part)
        .andWhereRaw(`${continuingFirstVersion(pg, 'v', 'p')} and v.license_id <> p.license_id`);
      for (const r of [...next, ...continuing])
        keys.push(deliveryKey(r.license_id, toInt(r.version), target));
    }
    return keys;
  });
  if (found.length === 0) return [];
  return listDeadLetters(db, { keys: [...new Set(found)] });
}
