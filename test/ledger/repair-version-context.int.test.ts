/**
 * A version a reconciliation repair writes names its pipeline's version context, as a run's
 * versions do (migration 026), instead of repeating the license's type and issuer and the
 * lineage's source, catalog and mapping versions in its row; it reads back the same.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, PG_URL, quietLogger, type TestDatabase } from './backends.js';
import { candidate, revokingRepair } from './fixtures.js';

interface RawVersion {
  context_id: unknown;
  payload: string;
  lineage: string;
}

async function rawVersion(url: string, versionId: number): Promise<RawVersion | undefined> {
  const query = `select context_id, payload, lineage from license_versions where version_id = ${versionId}`;
  if (url.startsWith('sqlite://')) {
    const db = new Database(url.slice('sqlite://'.length), { readonly: true });
    try {
      return db.prepare(query).get() as RawVersion | undefined;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`set search_path to "${new URL(url).searchParams.get('schema')}"`);
    return (await client.query<RawVersion>(query)).rows[0];
  } finally {
    await client.end();
  }
}

describe.each(BACKENDS)('a repair version and its context ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('names the context its pipeline shares and reads back the license and lineage it was given', async () => {
    const pipeline = 'repairs';
    const c = candidate({ n: 1, pipeline });
    await ledger.startRun({ runId: 'run-1', pipeline, mode: 'incremental' });
    await ledger.commitPage({
      pipeline,
      runId: 'run-1',
      checkpoint: encodeKeyPosition({ cursor: null, key: '1' }),
      rowsRead: 1,
      candidates: [c],
      quarantined: [],
    });
    const [created] = await ledger.appendRepairVersions(revokingRepair(c));
    expect(created).toMatchObject({ licenseId: c.licenseId, version: 2 });
    const versionId = created?.versionId as number;

    const raw = await rawVersion(database.url, versionId);
    expect(raw?.context_id).not.toBeNull();
    expect(raw?.payload).toContain('"@":0');
    expect(raw?.payload).not.toContain('食品经营许可证');
    expect(raw?.lineage).not.toContain('market-food');

    const [stored] = await ledger.getVersions([versionId]);
    expect(stored?.payload).toEqual({ ...c.build(2), status: 'revoked' });
    expect(stored?.lineage).toMatchObject({
      pipeline,
      runId: 'repair-1',
      source: 'market-food',
      catalogVersion: 'c1',
      mappingVersion: 'm1',
      sourceKey: c.sourceKey,
    });
  });
});
