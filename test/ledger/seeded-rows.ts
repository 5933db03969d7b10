/**
 * Ledger rows written straight to the tables, for the tests that compare a ledger read with the
 * query it replaced over a ledger of many licenses (overdue-open-reads, backlog-held-open-reads,
 * held-chains-reads).
 */
import type { Knex } from 'knex';

/** A fixed pseudo-random sequence: the same ledger on every run and backend. */
export function sequence(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
}

/** A license row, `valid`, of `versions` versions, its source key `n`. */
export async function insertLicense(
  k: Knex,
  row: { licenseId: string; pipeline: string; n: number; versions: number; at: string },
): Promise<void> {
  await k('licenses').insert({
    license_id: row.licenseId,
    pipeline: row.pipeline,
    source_key: String(row.n),
    latest_version: row.versions,
    content_hash: '',
    status: 'valid',
    created_at: row.at,
    updated_at: row.at,
  });
}

/** A version row, `valid`, issued, its identifier made of its id. */
export async function insertVersion(
  k: Knex,
  row: { versionId: number; licenseId: string; version: number; pipeline: string; runId: string; at: string },
): Promise<void> {
  await k('license_versions').insert({
    version_id: row.versionId,
    license_id: row.licenseId,
    version: row.version,
    pipeline: row.pipeline,
    identifier: `ID-${row.versionId}`,
    content_hash: '',
    status: 'valid',
    operation: 'issue',
    payload: '{}',
    lineage: '{}',
    run_id: row.runId,
    created_at: row.at,
  });
}

/** An SM2 signature of a version by seal `sealId`, made locally, its bytes stand-ins. */
export async function insertSignature(
  k: Knex,
  row: { versionId: number; sealId: string; at: string },
): Promise<void> {
  await k('signatures').insert({
    version_id: row.versionId,
    seal_id: row.sealId,
    content_hash: '',
    algorithm: 'SM2',
    digest: 'd',
    signature: Buffer.from([0]),
    dist_id: '1234567812345678',
    signer_kind: 'local',
    signed_at: row.at,
  });
}

/** A delivery of a version to `target` in `state` after one attempt, made and last changed `at`. */
export async function insertDelivery(
  k: Knex,
  row: { versionId: number; target: string; state: string; at: string },
  columns: { duplicate_repair?: string | null; opened_at?: string | null } = {},
): Promise<void> {
  await k('deliveries').insert({
    version_id: row.versionId,
    target: row.target,
    state: row.state,
    attempts: 1,
    reasons: '[]',
    created_at: row.at,
    updated_at: row.at,
    revision: 0,
    ...columns,
  });
}
