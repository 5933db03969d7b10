/**
 * A page's new versions written with the contexts they name (version-context.ts), as a run's page
 * (commit-page.ts) and a lifecycle tick's page (lifecycle.ts) write them. PostgreSQL: one statement
 * makes the contexts and inserts the rows (pg-versions-insert.ts); where it inserts nothing, and on
 * SQLite, the contexts are made first and the rows go as multi-row inserts, one round trip per
 * chunk. Returns each row's id, in the rows' order.
 */
import type { Knex } from 'knex';
import type { LicenseOperation, LicenseStatus } from '../catalog/license.js';
import { contentHashColumns } from './content-hash-column.js';
import { type Db, rowChunks, toInt } from './db.js';
import type { CreatedVersion } from './ledger.js';
import { insertVersionsPg, type PgVersionRow } from './pg-versions-insert.js';
import { insertValues } from './values-insert.js';
import { resolveContexts } from './version-context.js';

export interface VersionInsert extends PgVersionRow {
  status: LicenseStatus;
  operation: LicenseOperation;
}

export async function insertVersions(
  db: Db,
  trx: Knex.Transaction,
  rows: VersionInsert[],
): Promise<CreatedVersion[]> {
  const ids = new Map<string, number>();
  // PostgreSQL: one statement makes the contexts and inserts the versions (pg-versions-insert.ts).
  const pgReturned = db.dialect === 'postgres' && rows.length > 0 ? await insertVersionsPg(trx, rows) : null;
  for (const r of pgReturned ?? []) ids.set(`${r.license_id}\u0000${toInt(r.version)}`, toInt(r.version_id));
  // The hash as its bytes where it is lowercase hex (content-hash-column.ts), as the statement does.
  // resolveContexts gives each row a copy of its own: the hash's columns are set on it, not copied
  // into a third object (a page's 500 versions of 15 members each).
  const bound =
    pgReturned === null
      ? (await resolveContexts(trx, rows)).map((r) => {
          const hash = contentHashColumns(r.content_hash);
          const out = r as typeof r & { content_hash_bytes: Buffer | null };
          out.content_hash = hash.content_hash;
          out.content_hash_bytes = hash.content_hash_bytes;
          return out;
        })
      : [];
  for (const part of rowChunks(db, bound, 12)) {
    const returned: { version_id: unknown; license_id: string; version: unknown }[] =
      db.dialect === 'sqlite'
        ? // Built as text, not by knex's builder (values-insert.ts).
          await insertValues(trx, 'license_versions', part, ' returning version_id, license_id, version')
        : await trx('license_versions').insert(part).returning(['version_id', 'license_id', 'version']);
    // RETURNING's row order is not promised by either database: match on (license, version).
    for (const r of returned) ids.set(`${r.license_id}\u0000${toInt(r.version)}`, toInt(r.version_id));
  }
  return rows.map((r) => {
    const versionId = ids.get(`${r.license_id}\u0000${r.version}`);
    if (versionId === undefined) throw new Error(`version ${r.version} of ${r.license_id} returned no id`);
    return { versionId, licenseId: r.license_id, version: r.version, operation: r.operation };
  });
}
