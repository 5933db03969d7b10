/**
 * The status counts made afresh from the rows, as `deliveryCounts`, `signatureCounts` and
 * `awaitingSignature` made them on every read before the counts were kept (migration 058): what
 * the kept counts must equal.
 */
import type { Knex } from 'knex';
import { expect } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { FILE_STATUS, type StoredLicenseFile } from '../../ledger/license-files.js';

/** The targets the tests using these deliver to. */
const TARGETS = ['province', 'city'];

const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? res : (res as { rows: T[] }).rows);
const n = (v: unknown) => Number(v ?? 0);
const byKey = <T>(rows: T[], key: (r: T) => string) => Object.fromEntries(rows.map((r) => [key(r), r]));

/** Deliveries counted from the rows, as deliveryCounts counted them before the counts were kept. */
export async function deliveriesFromRows(raw: Knex) {
  const rows = rowsOf<Record<string, unknown>>(
    await raw.raw(
      `select v.pipeline, d.target, d.state, count(*) as n,
              sum(d.attempts + coalesce(d.carried_attempts, 0)) as a,
              sum(coalesce(d.carried_retries, 0) + case when d.attempts > 1 then d.attempts - 1 else 0 end) as r
         from deliveries d join license_versions v on v.version_id = d.version_id
        group by v.pipeline, d.target, d.state`,
    ),
  );
  return rows.map((r) => ({
    pipeline: String(r.pipeline),
    target: String(r.target),
    state: String(r.state),
    count: n(r.n),
    attempts: n(r.a),
    retries: n(r.r),
  }));
}

export async function signaturesFromRows(raw: Knex) {
  const rows = rowsOf<Record<string, unknown>>(
    await raw.raw(
      `select v.pipeline, s.seal_id, count(*) as n from signatures s
         join license_versions v on v.version_id = s.version_id group by v.pipeline, s.seal_id`,
    ),
  );
  return rows.map((r) => ({ pipeline: String(r.pipeline), sealId: String(r.seal_id), count: n(r.n) }));
}

async function unsignedFromRows(raw: Knex, pipeline: string, sealId: string): Promise<number> {
  const [row] = rowsOf<{ n: unknown }>(
    await raw.raw(
      `select count(*) as n from license_versions v where v.pipeline = ? and not exists
         (select 1 from signatures s where s.version_id = v.version_id and s.seal_id = ?)`,
      [pipeline, sealId],
    ),
  );
  return n(row?.n);
}

/**
 * The counts the ledger keeps equal the rows counted afresh: deliveries and signatures whole, the
 * versions of each of `pipelines` owed a license file, and those awaiting each of `seals` with
 * what each pipeline owes under it.
 */
export async function expectKeptEqualsRows(
  ledger: Ledger,
  raw: Knex,
  pipelines: readonly string[],
  seals: readonly string[],
): Promise<void> {
  const key = (r: { pipeline: string; target: string; state: string }) =>
    `${r.pipeline}/${r.target}/${r.state}`;
  expect(byKey(await ledger.deliveryCounts(), key)).toEqual(byKey(await deliveriesFromRows(raw), key));
  const seal = (r: { pipeline: string; sealId: string }) => `${r.pipeline}/${r.sealId}`;
  expect(byKey(await ledger.signatureCounts(), seal)).toEqual(byKey(await signaturesFromRows(raw), seal));
  for (const p of pipelines) {
    expect([p, await ledger.licenseFiles.countWithoutFile(p)]).toEqual([
      p,
      await withoutFileFromRows(raw, p),
    ]);
    for (const s of seals) {
      expect([p, s, await ledger.awaitingSignature(p, s)]).toEqual([p, s, await unsignedFromRows(raw, p, s)]);
      expect([p, s, await ledger.pipelineBacklog(p, s, TARGETS)]).toEqual([
        p,
        s,
        await backlogFromRows(raw, p, s, TARGETS),
      ]);
    }
  }
}

/** Versions of a pipeline owed a sealed file (FILE_STATUS) that have none. */
export async function withoutFileFromRows(raw: Knex, pipeline: string): Promise<number> {
  const [row] = rowsOf<{ n: unknown }>(
    await raw.raw(
      `select count(*) as n from license_versions v where v.pipeline = ? and v.status = ? and not exists
         (select 1 from license_files f where f.version_id = v.version_id)`,
      [pipeline, FILE_STATUS],
    ),
  );
  return n(row?.n);
}

/**
 * What a pipeline owes under a seal at each target, counted from the rows as `pipelineBacklog`
 * counted it before the counts were kept: unsigned versions, signed ones with no final delivery,
 * and of those the ones in review (none is held behind another's review in the tests using it).
 */
export async function backlogFromRows(
  raw: Knex,
  pipeline: string,
  sealId: string,
  targets: readonly string[],
) {
  const undelivered: Record<string, number> = {};
  const inReview: Record<string, number> = {};
  for (const target of targets) {
    const [row] = rowsOf<{ n: unknown; r: unknown }>(
      await raw.raw(
        `select count(*) as n, sum(case when exists (select 1 from deliveries d where d.version_id = v.version_id
                  and d.target = ? and d.state = 'submitted') then 1 else 0 end) as r
           from license_versions v join signatures s on s.version_id = v.version_id and s.seal_id = ?
          where v.pipeline = ? and not exists (select 1 from deliveries d where d.version_id = v.version_id
                  and d.target = ? and d.state in ('accepted', 'dead', 'discarded', 'rejected'))`,
        [target, sealId, pipeline, target],
      ),
    );
    undelivered[target] = n(row?.n);
    if (n(row?.r) > 0) inReview[target] = n(row?.r);
  }
  return {
    unsigned: await unsignedFromRows(raw, pipeline, sealId),
    undelivered,
    ...(Object.keys(inReview).length > 0 ? { inReview } : {}),
  };
}

/** A sealed file of the version, as `sign files` records it. */
export function licenseFile(v: {
  versionId: number;
  licenseId: string;
  version: number;
  pipeline: string;
}): StoredLicenseFile {
  return {
    ...v,
    path: `files/${v.versionId}.ofd`,
    sm3: 'ab'.repeat(32),
    size: 1024,
    seal: 'seal-1',
    signedAt: new Date(),
  };
}
