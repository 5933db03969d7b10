/**
 * Keyset-paged selections for batch signing and verification. Each page starts after the last
 * version id of the previous one, so a pass over 100,000 versions costs one indexed range scan
 * per page instead of rescanning the signed prefix every time.
 */
import type { Knex } from 'knex';
import { type Db, toInt } from './db.js';
import { whereHashedKey } from './hashed-keys.js';
import type { ResignSelection, StoredVersion, VersionPageQuery } from './ledger.js';
import { toVersion, type VersionRow } from './rows.js';
import { withVersionContext } from './version-context.js';

/** Version ids after `afterVersionId` with no signature by `sealId`, ascending. */
export async function unsignedVersionPage(
  db: Db,
  options: { sealId: string; pipeline?: string; afterVersionId: number; limit: number },
): Promise<number[]> {
  return db.read('unsignedVersionPage', async (k) => {
    const q = k('license_versions as v')
      .select('v.version_id')
      .where('v.version_id', '>', options.afterVersionId)
      .whereNotExists(function unsigned() {
        this.select(k.raw('1'))
          .from('signatures as s')
          .whereRaw('s.version_id = v.version_id')
          .andWhere('s.seal_id', options.sealId);
      })
      .orderBy('v.version_id')
      .limit(options.limit);
    if (options.pipeline !== undefined) whereHashedKey(k, q, 'v.pipeline', options.pipeline);
    const rows: { version_id: unknown }[] = await q;
    return rows.map((r) => toInt(r.version_id));
  });
}

export async function countUnsignedVersions(
  db: Db,
  options: { sealId: string; pipeline?: string },
): Promise<number> {
  return db.read('countUnsignedVersions', async (k) => {
    const q = k('license_versions as v')
      .count({ n: '*' })
      .whereNotExists(function unsigned() {
        this.select(k.raw('1'))
          .from('signatures as s')
          .whereRaw('s.version_id = v.version_id')
          .andWhere('s.seal_id', options.sealId);
      });
    if (options.pipeline !== undefined) whereHashedKey(k, q, 'v.pipeline', options.pipeline);
    const [row] = (await q) as { n: unknown }[];
    return row ? toInt(row.n) : 0;
  });
}

/** A page of versions in id order (all, one pipeline, or one license's versions). */
export async function versionPage(db: Db, query: VersionPageQuery): Promise<StoredVersion[]> {
  return db.read('versionPage', async (k) => {
    const q = withVersionContext(k('license_versions as v').select('v.*'), 'v')
      .where('v.version_id', '>', query.afterVersionId)
      .orderBy('v.version_id')
      .limit(query.limit);
    if (query.pipeline !== undefined) whereHashedKey(k, q, 'v.pipeline', query.pipeline);
    if (query.licenseIds !== undefined) q.whereIn('v.license_id', [...query.licenseIds]);
    const rows: VersionRow[] = await q;
    return rows.map(toVersion);
  });
}

/**
 * Versions to re-sign under `sealId`: the latest version of each selected license (or every
 * version), not yet signed by that seal, optionally only those signed by `fromSealId`.
 */
export async function resignCandidates(db: Db, sel: ResignSelection): Promise<number[]> {
  return db.read('resignCandidates', async (k) => {
    const rows: { version_id: unknown }[] = await resignQuery(k, sel)
      .select('v.version_id')
      .where('v.version_id', '>', sel.afterVersionId)
      .orderBy('v.version_id')
      .limit(sel.limit);
    return rows.map((r) => toInt(r.version_id));
  });
}

/** How many versions `resignCandidates` would still select, counted by the database. */
export async function countResignCandidates(
  db: Db,
  sel: Omit<ResignSelection, 'afterVersionId' | 'limit'>,
): Promise<number> {
  return db.read('countResignCandidates', async (k) => {
    const [row] = (await resignQuery(k, sel).count({ n: '*' })) as { n: unknown }[];
    return row ? toInt(row.n) : 0;
  });
}

/** The versions a re-sign selects, as a query still to be given its columns. */
function resignQuery(k: Knex, sel: Omit<ResignSelection, 'afterVersionId' | 'limit'>): Knex.QueryBuilder {
  const q = k('license_versions as v').whereNotExists(function notYet() {
    this.select(k.raw('1'))
      .from('signatures as s')
      .whereRaw('s.version_id = v.version_id')
      .andWhere('s.seal_id', sel.sealId);
  });
  if (!sel.allVersions) {
    q.whereExists(function latest() {
      this.select(k.raw('1'))
        .from('licenses as l')
        .whereRaw('l.license_id = v.license_id')
        .andWhereRaw('l.latest_version = v.version');
    });
  }
  if (sel.fromSealId !== undefined) {
    const from = sel.fromSealId;
    q.whereExists(function signedByOld() {
      this.select(k.raw('1'))
        .from('signatures as o')
        .whereRaw('o.version_id = v.version_id')
        .andWhere('o.seal_id', from);
    });
  }
  if (sel.pipeline !== undefined) whereHashedKey(k, q, 'v.pipeline', sel.pipeline);
  if (sel.licenseIds !== undefined) q.whereIn('v.license_id', [...sel.licenseIds]);
  return q;
}
