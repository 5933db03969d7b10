/**
 * License files in the ledger (migration 014): which versions have their sealed file, where, and
 * its SM3 and size. Pages of versions without a file are keyset-paged by version id, so a
 * backfill over the whole ledger costs one indexed range scan per page; recording is idempotent
 * (a version keeps the file recorded first), so a replayed page changes nothing.
 */
import type { Knex } from 'knex';
import { type BatchAct, batchEntries } from './audit-batch.js';
import { appendAudit } from './audit-chain.js';
import { type Db, nowIso, toDate, toInt } from './db.js';
import { whereHashedKey } from './hashed-keys.js';
import type { StoredVersion } from './ledger.js';
import { toVersion, type VersionRow } from './rows.js';
import { readStatusCounts } from './status-counts.js';
import { withVersionContext } from './version-context.js';

export interface StoredLicenseFile {
  versionId: number;
  licenseId: string;
  version: number;
  pipeline: string;
  path: string;
  sm3: string;
  size: number;
  seal: string;
  signedAt: Date;
}

export interface LicenseFileLedger {
  /** Valid versions (FILE_STATUS) after `afterVersionId` with no file, ascending (one pipeline, or all). */
  withoutFile(options: {
    pipeline?: string;
    afterVersionId: number;
    limit: number;
  }): Promise<StoredVersion[]>;
  /**
   * How many versions of one pipeline have no file: what `withoutFile` would page through, from
   * the counts kept as versions and files are written (`licbridge status`, every status and scrape).
   */
  countWithoutFile(pipeline: string): Promise<number>;
  /** Records files; returns how many were new (a version already recorded keeps its row). */
  record(files: readonly StoredLicenseFile[]): Promise<number>;
  /**
   * Files of one pipeline (or all), by version id; with `limit`, one keyset page of those after
   * `afterVersionId`.
   */
  list(options: { pipeline?: string; afterVersionId?: number; limit?: number }): Promise<StoredLicenseFile[]>;
  /**
   * One keyset page of the paths the ledger lists (every pipeline), ordered by path in byte order,
   * then version id: the page after `after`, or the first. Through `license_files_path_idx`
   * (migration 061), a page is one range of the index. See `pathOrder` for the order.
   */
  pathsPage(options: { after?: ListedPath; limit: number }): Promise<ListedPath[]>;
  /** Files of these versions (a version without one is absent), by version id. */
  ofVersions(versionIds: readonly number[]): Promise<StoredLicenseFile[]>;
}

/** A file the ledger lists: where it is in the store, and the version it is the file of. */
export interface ListedPath {
  path: string;
  versionId: number;
}

/**
 * The path compared in byte order (its UTF-8 bytes), on both ledgers: SQLite's default collation
 * is binary; PostgreSQL's is the database's (en_US and the like ignore punctuation at first and
 * fold case, so `a-b` and `ab` sort as a language does), and even a database created `C.UTF-8`
 * names another collation than "C", which `license_files_path_idx` is built in. For paths of
 * ASCII, as the store makes them (names of `[0-9A-Za-z.-]`, adapters/documents/file-store.ts
 * `SAFE`), byte order is JavaScript's `<` (UTF-16 code units); beyond it the two part only where a
 * character above U+FFFF meets one from U+E000 to U+FFFF.
 */
function pathOrder(db: Pick<Db, 'dialect'>): string {
  return db.dialect === 'postgres' ? 'path collate "C"' : 'path';
}

function toStoredFile(r: Record<string, unknown>): StoredLicenseFile {
  return {
    versionId: toInt(r.version_id),
    licenseId: String(r.license_id),
    version: toInt(r.version),
    pipeline: String(r.pipeline),
    path: String(r.path),
    sm3: String(r.sm3),
    size: toInt(r.size),
    seal: String(r.seal),
    signedAt: toDate(r.signed_at),
  };
}

/**
 * The one status whose versions are owed a sealed license file. A file is the license itself,
 * sealed today: a version that revokes, cancels, withdraws, suspends or expires a license (or one
 * read so from a stock source) sealed as a file would put a license in circulation that no longer
 * stands, its face telling nothing of its status. Such versions are delivered without a file.
 */
export const FILE_STATUS = 'valid';

/**
 * Versions (`v`) with no file, of one pipeline or all: the one definition of what `sign files`
 * owes (valid ones only, FILE_STATUS), paged by `withoutFile` and counted by `countWithoutFile`.
 * An anti-join on the file's primary key, driven by `license_versions_pipeline_idx` (the
 * pipeline's hash on PostgreSQL, version_id).
 */
function versionsWithoutFile(k: Knex, pipeline: string | undefined): Knex.QueryBuilder {
  const q = k('license_versions as v')
    .where('v.status', FILE_STATUS)
    .whereNotExists(function missing() {
      this.select(k.raw('1')).from('license_files as f').whereRaw('f.version_id = v.version_id');
    });
  if (pipeline !== undefined) whereHashedKey(k, q, 'v.pipeline', pipeline);
  return q;
}

/**
 * The audit act of one file issued: actor the seal, digest the file's SM3, detail the version id
 * and size — never the path, which names the license. A page's files share one entry binding
 * `[versionId, licenseId, version, sm3, size]` of each (audit-batch.ts).
 */
function fileAct(f: StoredLicenseFile): BatchAct {
  return {
    versionId: f.versionId,
    single: {
      action: 'issue-file',
      actor: `seal:${f.seal}`,
      licenseId: f.licenseId,
      version: f.version,
      digest: f.sm3,
      detail: { versionId: f.versionId, size: f.size },
    },
    tuple: [f.licenseId, f.version, f.sm3, f.size],
  };
}

export function licenseFileLedger(db: Db): LicenseFileLedger {
  return {
    withoutFile(options) {
      return db.read('licenseFilesMissing', async (k) => {
        const rows: VersionRow[] = await withVersionContext(versionsWithoutFile(k, options.pipeline), 'v')
          .select('v.*')
          .where('v.version_id', '>', options.afterVersionId)
          .orderBy('v.version_id')
          .limit(options.limit);
        return rows.map(toVersion);
      });
    },
    async countWithoutFile(pipeline) {
      // The versions owed a file less the files of such versions, both kept as rows change
      // (status-counts.ts): a few rows on every status and scrape, not both tables whole.
      const [versions, files] = await Promise.all([
        readStatusCounts(db, 'version_counts', { pipeline }),
        readStatusCounts(db, 'license_file_counts', { pipeline }),
      ]);
      return Math.max(0, Number(versions[0]?.owed_files ?? 0) - Number(files[0]?.row_count ?? 0));
    },
    record(files) {
      if (files.length === 0) return Promise.resolve(0);
      return db.write('recordLicenseFiles', async (trx) => {
        const now = nowIso();
        const issued: BatchAct[] = [];
        for (const f of files) {
          const rows = await trx('license_files')
            .insert({
              version_id: f.versionId,
              license_id: f.licenseId,
              version: f.version,
              pipeline: f.pipeline,
              path: f.path,
              sm3: f.sm3,
              size: f.size,
              seal: f.seal,
              signed_at: f.signedAt.toISOString(),
              created_at: now,
            })
            .onConflict('version_id')
            .ignore()
            .returning('version_id');
          if ((rows as unknown[]).length > 0) issued.push(fileAct(f));
        }
        // Issuing a sealed license file is an act the rules require logged: its entry commits
        // with its row (audit-chain.ts, taken last). A file already recorded is no new act.
        await appendAudit(db, trx, batchEntries(issued));
        return issued.length;
      });
    },
    list(options) {
      return db.read('licenseFiles', async (k) => {
        const q = k('license_files').select('*').orderBy('version_id');
        if (options.pipeline !== undefined) q.where('pipeline', options.pipeline);
        if (options.afterVersionId !== undefined) q.where('version_id', '>', options.afterVersionId);
        if (options.limit !== undefined) q.limit(options.limit);
        const rows: Record<string, unknown>[] = await q;
        return rows.map(toStoredFile);
      });
    },
    pathsPage(options) {
      return db.read('licenseFilePaths', async (k) => {
        const path = pathOrder(db);
        const q = k('license_files')
          .select('path', 'version_id')
          .orderByRaw(`${path}, version_id`)
          .limit(options.limit);
        // A row comparison: one range of the index, from the row after the page before.
        if (options.after !== undefined) {
          q.whereRaw(`(${path}, version_id) > (?, ?)`, [options.after.path, options.after.versionId]);
        }
        const rows: { path: unknown; version_id: unknown }[] = await q;
        return rows.map((r) => ({ path: String(r.path), versionId: toInt(r.version_id) }));
      });
    },
    ofVersions(versionIds) {
      if (versionIds.length === 0) return Promise.resolve([]);
      return db.read('licenseFilesOfVersions', async (k) => {
        const rows: Record<string, unknown>[] = await k('license_files')
          .select('*')
          .whereIn('version_id', [...versionIds])
          .orderBy('version_id');
        return rows.map(toStoredFile);
      });
    },
  };
}
