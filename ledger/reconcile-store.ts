/**
 * What reconciliation reads from the ledger (what a repair writes: reconcile-repairs.ts; stored
 * reports: reconcile-reports.ts, both exported from here as well).
 *
 * Bucket digests: every license falls in bucket `int(md5(source_key)[0..7]) mod B`, and a bucket's
 * digest is the count and the sum (mod 2^52) of `int(source_fp[0..13])` — the fingerprint the
 * source connector gave the row when it was last read (migration 006). The source computes the
 * same digest over its rows, inside its own database where it can; a sum does not depend on row
 * order, and the ledger side is one GROUP BY inside PostgreSQL: a million licenses become a few
 * thousand small rows. md5 is used because PostgreSQL has it built in; it only spots which buckets
 * to look at — the comparison inside a bucket is exact, and integrity rests on SM3 elsewhere.
 */

import type { Knex } from 'knex';
import type { LicenseStatus } from '../catalog/license.js';
import {
  BUCKET_HEX_DIGITS,
  FINGERPRINT_HEX_DIGITS,
  FINGERPRINT_MOD,
  FINGERPRINT_MOD_SQL,
  fingerprintPart,
  keyBucket,
} from '../core/reconcile-digest.js';
import type { BucketDigest, LedgerLicense, LedgerLicenseAtTarget } from './audit-types.js';
import { readContentHash } from './content-hash-column.js';
import { chunk, type Db, toInt } from './db.js';
import { readFingerprint, sourceFpSql } from './fingerprint-column.js';
import { whereHashedKey } from './hashed-keys.js';
import { deliveryKey } from './rows.js';

/**
 * License ids are compared in byte order on both sides of a merge with a platform's listing:
 * PostgreSQL's default collation (en_US and the like) skips punctuation such as the dots of an
 * identifier at first level, which would put ids in an order no client expects. There
 * `licenses_pipeline_id_bytes_idx` holds a pipeline's licenses in that order (migration 046), each
 * id as its order key (migration 054): `B` and the id after the root `1.2.156.3005.2.` that every
 * identifier starts with, so no entry repeats those 15 bytes, or `A` / `C` and the whole id for
 * one that sorts before / after every id with the root. The key sorts as the ids do and is one
 * key for one id, so `key(id) > key(after)` in key order is `id > after` in byte order. The text
 * is the migration's own: an expression index serves only the expression it was built on.
 */
export function licenseOrderKey(id: string): string {
  return `(case when ${id} collate "C" < '1.2.156.3005.2.' then 'A' || ${id}
      when left(${id}, 15) = '1.2.156.3005.2.' then 'B' || substr(${id}, 16)
      else 'C' || ${id} end) collate "C"`;
}

/**
 * `l.license_id > after` and the order of the ids, in byte order: through the order key on
 * PostgreSQL (`after` bound once for each of the five places the key names its id), the ids
 * themselves on SQLite, whose primary key compares bytes.
 */
function inIdOrder<Q extends Knex.QueryBuilder>(db: Db, q: Q, after: string): Q {
  if (db.dialect !== 'postgres') return q.andWhere('l.license_id', '>', after).orderBy('l.license_id') as Q;
  const key = licenseOrderKey('l.license_id');
  return q.andWhereRaw(`${key} > ${licenseOrderKey('?::text')}`, Array(5).fill(after)).orderByRaw(key) as Q;
}

/**
 * `l.pipeline = ?` for a keyset scan of a pipeline's licenses in license-id order, applied to `q`.
 * On PostgreSQL it also names the pipeline's hash, which `licenses_pipeline_id_bytes_idx` leads
 * with (migration 046), and compares the name on the rows it finds (hashed-keys.ts). On SQLite the
 * term is written `+l.pipeline`, which keeps the planner off the indexes that lead with
 * `pipeline`: with one of those it read every license of the pipeline and sorted them for each
 * page (5 s a page of 5,000 at 1,000,000 licenses, so the light check after a run took a quarter
 * of an hour); on the primary key it walks the ids in order and stops at the page's end.
 */
function wherePipelineInIdOrder<Q extends Knex.QueryBuilder>(db: Db, k: Knex, q: Q, pipeline: string): Q {
  if (db.dialect !== 'postgres') return q.whereRaw('+l.pipeline = ?', [pipeline]) as Q;
  return whereHashedKey(k, q, 'l.pipeline', pipeline) as Q;
}

// The bucket of a source key as core/reconcile-digest.ts's keyBucket computes it.
const PG_BUCKET = `(('x' || substr(md5(l.source_key), 1, ${BUCKET_HEX_DIGITS}))::bit(${4 * BUCKET_HEX_DIGITS})::int % ?)`;

interface LicenseRow {
  license_id: string;
  source_key: string;
  latest_version: unknown;
  content_hash: string;
  /** The hash as bytes, `content_hash` then '' (migration 055): read with readContentHash. */
  content_hash_bytes?: unknown;
  status: string;
  version_id: unknown;
  source_fp?: string | null;
  /** The fingerprint as bytes, `source_fp` then '' (migration 052): read with readFingerprint. */
  source_fp_bytes?: unknown;
  source_fp_ctx?: string | null;
}

/** The columns of a `LicenseRow` read from `licenses as l` joined to its latest version `v`. */
const LATEST_COLUMNS = [
  'l.license_id',
  'l.source_key',
  'l.latest_version',
  'v.content_hash',
  'v.content_hash_bytes',
  'l.status',
  'v.version_id',
] as const;

function toLedgerLicense(r: LicenseRow): LedgerLicense {
  return {
    licenseId: r.license_id,
    sourceKey: r.source_key,
    version: toInt(r.latest_version),
    versionId: toInt(r.version_id),
    contentHash: readContentHash(r.content_hash, r.content_hash_bytes),
    status: r.status as LicenseStatus,
    ...(r.source_fp === '-' ? { sourceless: true as const } : {}),
  };
}

/**
 * A page of a pipeline's licenses in license-id byte order, after license id `after` ('' for the
 * first): a range of the primary key on SQLite, of `licenses_pipeline_id_bytes_idx` on PostgreSQL
 * (migrations 046, 054). The database's own order is served by no index of one pipeline's licenses
 * there: the primary key holds every pipeline's, and a page of one that is not most of the ledger
 * read all its licenses through another index and sorted them.
 */
async function licensePageRows(
  db: Db,
  pipeline: string,
  after: string,
  limit: number,
): Promise<LicenseRow[]> {
  return db.read('scanLicenses', (k) =>
    inIdOrder(
      db,
      wherePipelineInIdOrder(db, k, k('licenses as l'), pipeline)
        .join('license_versions as v', function on() {
          this.on('v.license_id', 'l.license_id').andOn('v.version', 'l.latest_version');
        })
        .select([...LATEST_COLUMNS, 'l.source_fp', 'l.source_fp_bytes', 'l.source_fp_ctx']),
      after,
    ).limit(limit),
  );
}

/** Streams a pipeline's licenses in license-id order, a page at a time (SQLite-side folding). */
async function* scanLicenses(db: Db, pipeline: string, pageSize = 5000): AsyncIterable<LicenseRow[]> {
  let after = '';
  for (;;) {
    const rows = await licensePageRows(db, pipeline, after, pageSize);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]?.license_id ?? after;
    if (rows.length < pageSize) return;
  }
}

/**
 * Up to `limit` licenses of a pipeline after license id `after` ('' for the first), each with its
 * latest version, in license-id byte order: a walk over every license that holds one page, each
 * page a range of an index.
 */
export async function pipelineLicensePage(
  db: Db,
  pipeline: string,
  after: string,
  limit: number,
): Promise<LedgerLicense[]> {
  return (await licensePageRows(db, pipeline, after, limit)).map(toLedgerLicense);
}

/**
 * A ledger bucket digest split by status and fingerprint context: `count` licenses of that status
 * whose stored source fingerprint was taken under `context`, and `sum` of their fingerprints'
 * first 13 hex digits mod 2^52. Licenses without a fingerprint come with `context: null`.
 * Licenses no source row stands behind (`source_fp = '-'`) are left out.
 */
export interface FingerprintBucket extends BucketDigest {
  status: string;
  context: string | null;
}

/** Whether `ledgerBuckets` rows carry status and context (they do since migration 006). */
export function isFingerprintBucket(b: BucketDigest): b is FingerprintBucket {
  return 'status' in b && 'context' in b;
}

/**
 * Per bucket, status and fingerprint context: what reconciliation compares with the source's own
 * digests. On PostgreSQL one GROUP BY inside the database; on SQLite folded here, a page at a time.
 */
export async function ledgerBuckets(db: Db, pipeline: string, buckets: number): Promise<FingerprintBucket[]> {
  if (db.dialect === 'postgres') {
    return db.read('ledgerBuckets', async (k) => {
      const result = await k.raw(
        `select ${PG_BUCKET} as bucket, l.status, l.source_fp_ctx as ctx, count(*) as n,
                (coalesce(sum(('x' || substr(${sourceFpSql('l')}, 1, ${FINGERPRINT_HEX_DIGITS}))::bit(${4 * FINGERPRINT_HEX_DIGITS})::bigint), 0) % ${FINGERPRINT_MOD_SQL})::text as s
           from licenses l
          where l.pipeline = ? and (l.source_fp is null or l.source_fp <> '-')
          group by 1, 2, 3`,
        [buckets, pipeline],
      );
      const rows = (
        result as { rows: { bucket: unknown; status: string; ctx: string | null; n: unknown; s: string }[] }
      ).rows;
      return rows.map((r) => ({
        bucket: toInt(r.bucket),
        status: r.status,
        context: r.ctx,
        count: toInt(r.n),
        sum: r.s,
      }));
    });
  }
  const folded = new Map<string, FingerprintBucket>();
  for await (const page of scanLicenses(db, pipeline)) {
    for (const r of page) {
      const fp = readFingerprint(r.source_fp ?? null, r.source_fp_bytes);
      if (fp === '-') continue;
      const bucket = keyBucket(r.source_key, buckets);
      const context = fp ? (r.source_fp_ctx ?? null) : null;
      const id = `${bucket}\u0000${r.status}\u0000${context ?? ''}`;
      const d = folded.get(id) ?? { bucket, status: r.status, context, count: 0, sum: '0' };
      d.count += 1;
      if (fp) d.sum = String((Number(d.sum) + fingerprintPart(fp)) % FINGERPRINT_MOD);
      folded.set(id, d);
    }
  }
  return [...folded.values()];
}

/** The licenses of the given buckets: the drill-down, filtered inside PostgreSQL. */
export async function ledgerRowsInBuckets(
  db: Db,
  pipeline: string,
  buckets: number,
  wanted: readonly number[],
): Promise<LedgerLicense[]> {
  if (wanted.length === 0) return [];
  if (db.dialect === 'postgres') {
    return db.read('ledgerRowsInBuckets', async (k) => {
      const out: LedgerLicense[] = [];
      for (const part of chunk([...wanted], db.maxParams - 2)) {
        const result = await k.raw(
          `select l.license_id, l.source_key, l.latest_version, v.content_hash, v.content_hash_bytes, l.status, v.version_id, l.source_fp
             from licenses l join license_versions v on v.license_id = l.license_id and v.version = l.latest_version
            where l.pipeline = ? and ${PG_BUCKET} in (${part.map(() => '?').join(',')})`,
          [pipeline, buckets, ...part],
        );
        out.push(...(result as { rows: LicenseRow[] }).rows.map(toLedgerLicense));
      }
      return out;
    });
  }
  const set = new Set(wanted);
  const out: LedgerLicense[] = [];
  for await (const page of scanLicenses(db, pipeline)) {
    for (const r of page) if (set.has(keyBucket(r.source_key, buckets))) out.push(toLedgerLicense(r));
  }
  return out;
}

/**
 * The pipeline the ledger holds each of `licenseIds` under; ids it does not hold are absent. One
 * statement per chunk of ids, chunked to the bind parameters one statement may carry (SQLite's
 * variable limit, PostgreSQL's 65,535): a platform check asks for a page of its listing at once.
 */
export async function pipelinesOfLicenses(
  db: Db,
  licenseIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const ids of chunk([...new Set(licenseIds)], db.maxParams)) {
    const rows: { license_id: string; pipeline: string }[] = await db.read('pipelinesOfLicenses', (k) =>
      k('licenses').select('license_id', 'pipeline').whereIn('license_id', ids),
    );
    for (const r of rows) out.set(r.license_id, r.pipeline);
  }
  return out;
}

/**
 * Of `licenseIds`, the pipeline's licenses with their latest version's delivery state at `target`,
 * as `licensesAtTarget` gives them (in no particular order; ids the pipeline does not hold are
 * absent): one statement per chunk of ids.
 */
export async function licensesAtTargetByIds(
  db: Db,
  pipeline: string,
  target: string,
  licenseIds: readonly string[],
): Promise<LedgerLicenseAtTarget[]> {
  const out: LedgerLicenseAtTarget[] = [];
  for (const ids of chunk([...new Set(licenseIds)], db.maxParams - 2)) {
    const rows = await db.read('licensesAtTargetByIds', (k) =>
      atTargetQuery(k, target).where('l.pipeline', pipeline).whereIn('l.license_id', ids),
    );
    out.push(...rows.map((r) => toLicenseAtTarget(r, target)));
  }
  return out;
}

type AtTargetRow = LicenseRow & { state: string | null };

/** Licenses with their latest version and its delivery at `target` (bound first: one parameter). */
function atTargetQuery(k: Knex, target: string): Knex.QueryBuilder<object, AtTargetRow[]> {
  return k('licenses as l')
    .join('license_versions as v', function on() {
      this.on('v.license_id', 'l.license_id').andOn('v.version', 'l.latest_version');
    })
    .leftJoin('deliveries as d', function on() {
      this.on('d.version_id', 'v.version_id').andOn('d.target', k.raw('?', [target]));
    })
    .select([...LATEST_COLUMNS, 'd.state']);
}

function toLicenseAtTarget(r: AtTargetRow, target: string): LedgerLicenseAtTarget {
  const l = toLedgerLicense(r);
  return { ...l, deliveryKey: deliveryKey(l.licenseId, l.version, target), deliveryState: r.state ?? null };
}

/** A page of licenses in license-id order with their latest version's delivery state at `target`. */
export async function licensesAtTarget(
  db: Db,
  pipeline: string,
  target: string,
  after: string,
  limit: number,
): Promise<LedgerLicenseAtTarget[]> {
  return db.read('licensesAtTarget', async (k) => {
    const rows = await inIdOrder(
      db,
      wherePipelineInIdOrder(db, k, atTargetQuery(k, target), pipeline),
      after,
    ).limit(limit);
    return rows.map((r) => toLicenseAtTarget(r, target));
  });
}

export async function licenseStatusCounts(db: Db, pipeline: string): Promise<Record<string, number>> {
  return db.read('licenseStatusCounts', async (k) => {
    const rows: { status: string; n: unknown }[] = await k('licenses')
      .where({ pipeline })
      .groupBy('status')
      .select('status')
      .count({ n: '*' });
    return Object.fromEntries(rows.map((r) => [r.status, toInt(r.n)]));
  });
}

/**
 * Every license of a pipeline with its latest version, in license-id byte order, all held at once;
 * the checks walk a page at a time instead (`pipelineLicensePage`).
 */
export async function pipelineLicenses(db: Db, pipeline: string): Promise<LedgerLicense[]> {
  const out: LedgerLicense[] = [];
  for await (const page of scanLicenses(db, pipeline)) for (const r of page) out.push(toLedgerLicense(r));
  return out;
}

/**
 * The source keys counted by `openQuarantineCount`, for checks that name keys. Only keys with an
 * open record (`resolved_at` null, as the worklist reads them): a record a person closed by hand
 * (quarantine-resolve.ts) on a row still without its key left the row on no worklist, and the
 * light check counted it quarantined instead of `missed`.
 */
export async function openQuarantineKeys(db: Db, pipeline: string): Promise<string[]> {
  return db.read('openQuarantineKeys', async (k) => {
    const rows: { source_key: string }[] = await k('quarantine as q')
      .leftJoin('licenses as l', function () {
        this.on('l.pipeline', '=', 'q.pipeline').andOn('l.source_key', '=', 'q.source_key');
      })
      .where('q.pipeline', pipeline)
      .whereNull('q.resolved_at')
      .whereNull('l.license_id')
      .distinct('q.source_key');
    return rows.map((r) => r.source_key);
  });
}

/**
 * Source keys of a pipeline with an open quarantine record that are not licenses: rows read and
 * explained, so the light check does not count them as a gap between source and ledger.
 */
export async function openQuarantineCount(db: Db, pipeline: string): Promise<number> {
  return db.read('openQuarantineCount', async (k) => {
    const row = (await k('quarantine as q')
      .leftJoin('licenses as l', function () {
        this.on('l.pipeline', '=', 'q.pipeline').andOn('l.source_key', '=', 'q.source_key');
      })
      .where('q.pipeline', pipeline)
      .whereNull('q.resolved_at')
      .whereNull('l.license_id')
      .countDistinct({ n: 'q.source_key' })
      .first()) as { n: unknown } | undefined;
    return toInt(row?.n ?? 0);
  });
}

export { appendRepairVersions, reopenDeliveries } from './reconcile-repairs.js';
export { getReports, saveReport } from './reconcile-reports.js';
