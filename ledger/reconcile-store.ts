/**
 * What reconciliation reads from and writes to the ledger.
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
import type { LicenseOperation, LicenseStatus } from '../catalog/license.js';
import {
  BUCKET_HEX_DIGITS,
  FINGERPRINT_HEX_DIGITS,
  FINGERPRINT_MOD,
  FINGERPRINT_MOD_SQL,
  fingerprintPart,
  keyBucket,
} from '../core/reconcile-digest.js';
import { type AuditInput, appendAudit } from './audit-chain.js';
import type {
  BucketDigest,
  LedgerLicense,
  LedgerLicenseAtTarget,
  RepairVersionsInput,
  StoredReport,
} from './audit-types.js';
import { operationFor } from './commit-page.js';
import { chunk, type Db, nowIso, parseJson, toDate, toInt } from './db.js';
import { resolveDeliveryKeys } from './delivery-keys.js';
import { identifierColumn } from './identifier-column.js';
import type { CreatedVersion } from './ledger.js';
import { lineageColumn } from './lineage-column.js';
import { payloadColumn } from './payload-column.js';
import { deliveryKey } from './rows.js';

/**
 * License ids are compared in byte order on both sides of a merge with a platform's listing:
 * PostgreSQL's default collation (en_US and the like) skips punctuation such as the dots of an
 * identifier at first level, which would put ids in an order no client expects.
 */
function byteOrder(db: Db): string {
  return db.dialect === 'postgres' ? ' collate "C"' : '';
}

/**
 * `l.pipeline = ?` for a keyset scan of a pipeline's licenses in license-id order. On SQLite the
 * term is written `+l.pipeline`, which keeps the planner off the indexes that lead with
 * `pipeline`: with one of those it read every license of the pipeline and sorted them for each
 * page (5 s a page of 5,000 at 1,000,000 licenses, so the light check after a run took a quarter
 * of an hour); on the primary key it walks the ids in order and stops at the page's end.
 */
function pipelineInIdOrder(db: Db): string {
  return db.dialect === 'postgres' ? 'l.pipeline = ?' : '+l.pipeline = ?';
}

// The bucket of a source key as core/reconcile-digest.ts's keyBucket computes it.
const PG_BUCKET = `(('x' || substr(md5(l.source_key), 1, ${BUCKET_HEX_DIGITS}))::bit(${4 * BUCKET_HEX_DIGITS})::int % ?)`;

interface LicenseRow {
  license_id: string;
  source_key: string;
  latest_version: unknown;
  content_hash: string;
  status: string;
  version_id: unknown;
  source_fp?: string | null;
  source_fp_ctx?: string | null;
}

function toLedgerLicense(r: LicenseRow): LedgerLicense {
  return {
    licenseId: r.license_id,
    sourceKey: r.source_key,
    version: toInt(r.latest_version),
    versionId: toInt(r.version_id),
    contentHash: r.content_hash,
    status: r.status as LicenseStatus,
    ...(r.source_fp === '-' ? { sourceless: true as const } : {}),
  };
}

/** Streams a pipeline's licenses in license-id order, a page at a time (SQLite-side folding). */
async function* scanLicenses(db: Db, pipeline: string, pageSize = 5000): AsyncIterable<LicenseRow[]> {
  let after = '';
  for (;;) {
    const rows: LicenseRow[] = await db.read('scanLicenses', (k) =>
      k('licenses as l')
        .join('license_versions as v', function on() {
          this.on('v.license_id', 'l.license_id').andOn('v.version', 'l.latest_version');
        })
        .select(
          'l.license_id',
          'l.source_key',
          'l.latest_version',
          'v.content_hash',
          'l.status',
          'v.version_id',
          'l.source_fp',
          'l.source_fp_ctx',
        )
        .whereRaw(pipelineInIdOrder(db), [pipeline])
        .andWhereRaw(`l.license_id${byteOrder(db)} > ?`, [after])
        .orderByRaw(`l.license_id${byteOrder(db)}`)
        .limit(pageSize),
    );
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]?.license_id ?? after;
    if (rows.length < pageSize) return;
  }
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
                (coalesce(sum(('x' || substr(l.source_fp, 1, ${FINGERPRINT_HEX_DIGITS}))::bit(${4 * FINGERPRINT_HEX_DIGITS})::bigint), 0) % ${FINGERPRINT_MOD_SQL})::text as s
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
      if (r.source_fp === '-') continue;
      const bucket = keyBucket(r.source_key, buckets);
      const context = r.source_fp ? (r.source_fp_ctx ?? null) : null;
      const id = `${bucket}\u0000${r.status}\u0000${context ?? ''}`;
      const d = folded.get(id) ?? { bucket, status: r.status, context, count: 0, sum: '0' };
      d.count += 1;
      if (r.source_fp) d.sum = String((Number(d.sum) + fingerprintPart(r.source_fp)) % FINGERPRINT_MOD);
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
          `select l.license_id, l.source_key, l.latest_version, v.content_hash, l.status, v.version_id, l.source_fp
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

/** A page of licenses in license-id order with their latest version's delivery state at `target`. */
export async function licensesOfOtherPipelines(
  db: Db,
  pipeline: string,
  licenseIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const ids of chunk(licenseIds, db.maxParams - 1)) {
    const rows: { license_id: string }[] = await db.read('licensesOfOtherPipelines', (k) =>
      k('licenses').select('license_id').whereIn('license_id', ids).whereNot({ pipeline }),
    );
    for (const r of rows) out.add(r.license_id);
  }
  return out;
}

export async function licensesAtTarget(
  db: Db,
  pipeline: string,
  target: string,
  after: string,
  limit: number,
): Promise<LedgerLicenseAtTarget[]> {
  return db.read('licensesAtTarget', async (k) => {
    const rows: (LicenseRow & { state: string | null })[] = await k('licenses as l')
      .join('license_versions as v', function on() {
        this.on('v.license_id', 'l.license_id').andOn('v.version', 'l.latest_version');
      })
      .leftJoin('deliveries as d', function on() {
        this.on('d.version_id', 'v.version_id').andOn('d.target', k.raw('?', [target]));
      })
      .select(
        'l.license_id',
        'l.source_key',
        'l.latest_version',
        'v.content_hash',
        'l.status',
        'v.version_id',
        'd.state',
      )
      .whereRaw(pipelineInIdOrder(db), [pipeline])
      .andWhereRaw(`l.license_id${byteOrder(db)} > ?`, [after])
      .orderByRaw(`l.license_id${byteOrder(db)}`)
      .limit(limit);
    return rows.map((r) => {
      const l = toLedgerLicense(r);
      return {
        ...l,
        deliveryKey: deliveryKey(l.licenseId, l.version, target),
        deliveryState: r.state ?? null,
      };
    });
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

/** Every license of a pipeline with its latest version (the light check's key set), in license-id order. */
export async function pipelineLicenses(db: Db, pipeline: string): Promise<LedgerLicense[]> {
  const out: LedgerLicense[] = [];
  for await (const page of scanLicenses(db, pipeline)) for (const r of page) out.push(toLedgerLicense(r));
  return out;
}

/** The source keys counted by `openQuarantineCount`, for checks that name keys. */
export async function openQuarantineKeys(db: Db, pipeline: string): Promise<string[]> {
  return db.read('openQuarantineKeys', async (k) => {
    const rows: { source_key: string }[] = await k('quarantine as q')
      .leftJoin('licenses as l', function () {
        this.on('l.pipeline', '=', 'q.pipeline').andOn('l.source_key', '=', 'q.source_key');
      })
      .where('q.pipeline', pipeline)
      .whereNull('l.license_id')
      .distinct('q.source_key');
    return rows.map((r) => r.source_key);
  });
}

/**
 * Source keys of a pipeline held in quarantine that are not licenses: rows read and explained, so
 * the light check does not count them as a gap between source and ledger.
 */
export async function openQuarantineCount(db: Db, pipeline: string): Promise<number> {
  return db.read('openQuarantineCount', async (k) => {
    const row = (await k('quarantine as q')
      .leftJoin('licenses as l', function () {
        this.on('l.pipeline', '=', 'q.pipeline').andOn('l.source_key', '=', 'q.source_key');
      })
      .where('q.pipeline', pipeline)
      .whereNull('l.license_id')
      .countDistinct({ n: 'q.source_key' })
      .first()) as { n: unknown } | undefined;
    return toInt(row?.n ?? 0);
  });
}

/**
 * Writes versions decided by reconciliation (a deletion policy applied, a platform record
 * adopted) with their audit entries, in one transaction. A license whose latest version is no
 * longer the one the plan saw is skipped: someone else changed it since, and the next check looks again.
 */
export async function appendRepairVersions(db: Db, input: RepairVersionsInput): Promise<CreatedVersion[]> {
  if (input.versions.length === 0) return [];
  return db.write('appendRepairVersions', async (trx) => {
    // SQLite: take the write lock before reading (db.ts). PostgreSQL: lock the licenses read below.
    if (db.dialect === 'sqlite') await trx('audit_head').where({ id: 1 }).update({ id: 1 });
    const now = nowIso();
    const created: CreatedVersion[] = [];
    const audit: AuditInput[] = [];
    for (const v of input.versions) {
      const q = trx('licenses')
        .select('latest_version', 'status', 'pipeline')
        .where({ license_id: v.licenseId });
      const current: { latest_version: unknown; status: LicenseStatus; pipeline: string } | undefined =
        await (db.dialect === 'postgres' ? q.forUpdate().first() : q.first());
      // A repair touches only its own pipeline's licenses; a license to adopt must still be one the
      // ledger does not hold (a run may have issued it since the plan, or another pipeline owns it).
      if (current && (current.pipeline !== input.pipeline || v.adopt)) continue;
      const latest = current ? toInt(current.latest_version) : 0;
      // An adopted license (known only to a platform) continues from the platform's version.
      if (current ? latest !== v.after : v.after !== 0 && !v.adopt) continue;
      const version = (current ? latest : v.after) + 1;
      const operation: LicenseOperation = current
        ? operationFor(current.status, v.status)
        : v.adopt
          ? operationFor('valid', v.status)
          : 'issue';
      const payload = v.build(version);
      await trx('licenses')
        .insert({
          license_id: v.licenseId,
          pipeline: input.pipeline,
          source_key: v.sourceKey,
          latest_version: version,
          content_hash: v.contentHash,
          status: v.status,
          // No source row stands behind a deletion answered by the policy or an adopted license:
          // '-' keeps it out of the bucket digests, and a row that comes back makes its bucket differ.
          source_fp: '-',
          source_fp_ctx: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict('license_id')
        .merge(['latest_version', 'content_hash', 'status', 'source_fp', 'source_fp_ctx', 'updated_at']);
      const [row]: { version_id: unknown }[] = await trx('license_versions')
        .insert({
          license_id: v.licenseId,
          version,
          pipeline: input.pipeline,
          identifier: identifierColumn(v.licenseId, version, payload.identifier),
          content_hash: v.contentHash,
          status: v.status,
          operation,
          payload: payloadColumn(payload),
          lineage: lineageColumn(v.lineage, input.pipeline, input.runId),
          run_id: input.runId,
          created_at: now,
        })
        .returning(['version_id']);
      if (!row) throw new Error(`version ${version} of ${v.licenseId} returned no id`);
      created.push({ versionId: toInt(row.version_id), licenseId: v.licenseId, version, operation });
      const detail = { runId: input.runId, pipeline: input.pipeline, reason: v.reason };
      audit.push(
        {
          action: 'repair',
          actor: input.actor,
          licenseId: v.licenseId,
          version,
          digest: v.contentHash,
          detail,
        },
        {
          action: operation,
          actor: input.actor,
          licenseId: v.licenseId,
          version,
          digest: v.contentHash,
          detail,
        },
      );
    }
    await appendAudit(db, trx, audit);
    return created;
  });
}

/**
 * Puts deliveries back to `pending` so an ordinary deliver job sends them again (a platform that
 * lost a license, or holds an older state). The key is the same, so the platform stays idempotent.
 * Only a license's latest version is reopened: one a later version replaced since the check
 * (the tick expired it, a run read a change) would put the outdated license back at the
 * platform once sent after its successor; the later version carries the license as it is now,
 * and the next check looks again.
 */
export async function reopenDeliveries(
  db: Db,
  keys: readonly string[],
  actor: string,
  reason: string,
): Promise<number> {
  if (keys.length === 0) return 0;
  const refs = await resolveDeliveryKeys(db, keys);
  if (refs.length === 0) return 0;
  return db.write('reopenDeliveries', async (trx) => {
    // SQLite: take the write lock before reading (db.ts). PostgreSQL: lock the licenses read below,
    // so a tick or a page committing the next version waits for this transaction.
    if (db.dialect === 'sqlite') await trx('audit_head').where({ id: 1 }).update({ id: 1 });
    const now = nowIso();
    let reopened = 0;
    const audit: AuditInput[] = [];
    for (const { key, versionId, target } of refs) {
      const [licenseId, version] = splitKey(key);
      const q = trx('licenses')
        .select('latest_version')
        .where({ license_id: licenseId ?? '' });
      const current: { latest_version: unknown } | undefined = await (db.dialect === 'postgres'
        ? q.forUpdate().first()
        : q.first());
      if (current && toInt(current.latest_version) !== version) continue;
      const n = await trx('deliveries')
        .where({ version_id: versionId, target })
        .update({ state: 'pending', attempts: 0, reasons: '[]', last_error: null, updated_at: now });
      if (toInt(n) === 0) continue;
      reopened += 1;
      audit.push({ action: 'repair', actor, licenseId, version, detail: { deliveryKey: key, reason } });
    }
    await appendAudit(db, trx, audit);
    return reopened;
  });
}

function splitKey(key: string): [string | null, number | null] {
  const parts = key.split(':');
  const version = Number(parts[1]);
  return [parts[0] ?? null, Number.isSafeInteger(version) ? version : null];
}

export async function saveReport(db: Db, report: Omit<StoredReport, 'createdAt'>): Promise<void> {
  await db.write('saveReport', async (trx: Knex.Transaction) => {
    await trx('reconcile_reports').insert({
      report_id: report.reportId,
      pipeline: report.pipeline,
      mode: report.mode,
      differences: report.differences,
      summary: JSON.stringify(report.summary),
      report: JSON.stringify(report.report),
      created_at: nowIso(),
    });
  });
}

interface ReportRow {
  report_id: string;
  pipeline: string;
  mode: string;
  differences: unknown;
  summary: string;
  report: string;
  created_at: unknown;
}

export async function getReports(
  db: Db,
  query: { reportId?: string; pipeline?: string; limit?: number },
): Promise<StoredReport[]> {
  return db.read('getReports', async (k) => {
    const q = k('reconcile_reports')
      .select('*')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'report_id', order: 'desc' },
      ])
      .limit(query.limit ?? 20);
    if (query.reportId) q.where({ report_id: query.reportId });
    if (query.pipeline) q.where({ pipeline: query.pipeline });
    const rows: ReportRow[] = await q;
    return rows.map((r) => ({
      reportId: r.report_id,
      pipeline: r.pipeline,
      mode: r.mode,
      differences: toInt(r.differences),
      summary: parseJson<Record<string, unknown>>(r.summary),
      report: parseJson<Record<string, unknown>>(r.report),
      createdAt: toDate(r.created_at),
    }));
  });
}
