/**
 * The `licenses` rows a page reads and writes (ledger/commit-page.ts): each license's latest
 * version, hash and source state, looked up with one `IN` select per chunk, and written back with
 * multi-row statements.
 */
import type { Knex } from 'knex';
import type { LicenseStatus } from '../catalog/license.js';
import { readContentHash } from './content-hash-column.js';
import { type Db, inLists, rowChunks, toInt } from './db.js';
import { fingerprintColumns, readFingerprint } from './fingerprint-column.js';
import { insertValues } from './values-insert.js';

export interface Latest {
  version: number;
  contentHash: string;
  status: LicenseStatus;
  sourceFp?: string | null;
  sourceFpCtx?: string | null;
  sourceOrder?: string | null;
}

/** What moved for an unchanged license: the raw row's fingerprint, or its record's order. */
export interface SourceUpdate {
  license_id: string;
  source_fp: string | null;
  source_fp_ctx: string | null;
  source_order: string | null;
}

export interface LicenseWrite {
  license_id: string;
  pipeline: string;
  source_key: string;
  latest_version: number;
  content_hash: string;
  status: LicenseStatus;
  source_fp: string | null;
  source_fp_ctx: string | null;
  source_order: string | null;
  /** The version's `validTo`: the lifecycle tick's index (ledger/lifecycle.ts). */
  valid_to: string | null;
  /** The version's number: how a renewal may name the license it continues (ledger/predecessors.ts). */
  number: string | null;
  created_at: string;
  updated_at: string;
}

export async function loadLatest(
  db: Db,
  trx: Knex.Transaction,
  licenseIds: string[],
): Promise<Map<string, Latest>> {
  const latest = new Map<string, Latest>();
  for (const ids of inLists(db, [...new Set(licenseIds)], 0)) {
    const rows: {
      license_id: string;
      latest_version: unknown;
      content_hash: string;
      content_hash_bytes: unknown;
      status: LicenseStatus;
      source_fp: string | null;
      source_fp_bytes: unknown;
      source_fp_ctx: string | null;
      source_order: string | null;
    }[] = await trx('licenses as l')
      // The latest version's hash is its row's (licenses.content_hash is '' since migration 026).
      .join('license_versions as v', function latestVersion() {
        this.on('v.license_id', 'l.license_id').andOn('v.version', 'l.latest_version');
      })
      .select(
        'l.license_id',
        'l.latest_version',
        'v.content_hash',
        'v.content_hash_bytes',
        'l.status',
        'l.source_fp',
        'l.source_fp_bytes',
        'l.source_fp_ctx',
        'l.source_order',
      )
      .whereIn('l.license_id', ids);
    for (const r of rows) {
      latest.set(r.license_id, {
        version: toInt(r.latest_version),
        contentHash: readContentHash(r.content_hash, r.content_hash_bytes),
        status: r.status,
        sourceFp: readFingerprint(r.source_fp, r.source_fp_bytes),
        sourceFpCtx: r.source_fp_ctx,
        sourceOrder: r.source_order,
      });
    }
  }
  return latest;
}

export async function upsertLicenses(db: Db, trx: Knex.Transaction, rows: LicenseWrite[]): Promise<void> {
  // New licenses are inserted; changed ones keep pipeline, source key and created_at. The
  // fingerprint goes as its bytes where it is lowercase hex (fingerprint-column.ts).
  const stored = rows.map((r) => ({ ...r, ...fingerprintColumns(r.source_fp) }));
  for (const part of rowChunks(db, stored, 14)) {
    if (db.dialect === 'sqlite') {
      // Built as text, not by knex's builder (values-insert.ts).
      await insertValues(
        trx,
        'licenses',
        part,
        ` on conflict (license_id) do update set ${MERGED.map((c) => `${c} = excluded.${c}`).join(', ')}`,
      );
      continue;
    }
    await trx('licenses').insert(part).onConflict('license_id').merge(MERGED);
  }
}

/** What a page writes over in a license it already holds. */
const MERGED = [
  'latest_version',
  'content_hash',
  'status',
  'source_fp',
  'source_fp_bytes',
  'source_fp_ctx',
  'source_order',
  'valid_to',
  'number',
  'updated_at',
];

/** Fingerprints and orders of unchanged licenses: one statement per chunk on PostgreSQL, per row on SQLite (in-process). */
export async function updateSourceColumns(
  db: Db,
  trx: Knex.Transaction,
  rows: SourceUpdate[],
): Promise<void> {
  if (rows.length === 0) return;
  if (db.dialect !== 'postgres') {
    for (const r of rows) {
      await trx('licenses')
        .where({ license_id: r.license_id })
        .update({
          ...fingerprintColumns(r.source_fp),
          source_fp_ctx: r.source_fp_ctx,
          source_order: r.source_order,
        });
    }
    return;
  }
  for (const part of rowChunks(db, rows, 5)) {
    // Typed in the first row: a VALUES list of parameters alone would read every column as text.
    await trx.raw(
      `update licenses as l set source_fp = v.fp, source_fp_bytes = v.fpb, source_fp_ctx = v.ctx, source_order = v.ord
         from (values ${part.map((_, i) => (i === 0 ? '(?, ?, ?::bytea, ?, ?)' : '(?, ?, ?, ?, ?)')).join(', ')}) as v(id, fp, fpb, ctx, ord)
        where l.license_id = v.id`,
      part.flatMap((r) => {
        const fp = fingerprintColumns(r.source_fp);
        return [r.license_id, fp.source_fp, fp.source_fp_bytes, r.source_fp_ctx, r.source_order];
      }),
    );
  }
}
