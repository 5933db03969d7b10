/**
 * Ledger rows written straight to the tables, for the tests that compare a ledger read with the
 * query it replaced over a ledger of many licenses (overdue-open-reads, backlog-held-open-reads).
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
