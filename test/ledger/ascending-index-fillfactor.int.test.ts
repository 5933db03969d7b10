/**
 * Migration 053 on a ledger written before it, on both backends: on PostgreSQL the B-trees whose
 * keys arrive in ascending order (the versions' primary key, the run's and the pipeline's indexes
 * of versions, the signatures' primary key) fill their leaf pages whole instead of leaving a tenth
 * of each empty for entries that never come. The versions, a run's versions and the signatures
 * written before read back the same; down and up again change no row. SQLite has nothing to
 * change.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, commitOnePage, signature } from './fixtures.js';
import { rawKnex, undoMigrationsSince } from './raw-knex.js';

const M053 = MIGRATIONS.find((m) => m.name === '053-ascending-index-fillfactor');
const SEAL = 'seal-m053';

/** What the ledger reads back of `versionIds`: versions, their signatures, and the run's versions. */
async function readBack(ledger: Ledger, runId: string, versionIds: readonly number[]) {
  const versions = await ledger.getVersions(versionIds);
  const signatures = await ledger.getSignatures(versionIds);
  return {
    versions: versions.map((v) => [v.versionId, v.licenseId, v.version, v.contentHash]),
    signatures: signatures.map((s) => [s.versionId, s.sealId, Buffer.from(s.signature).toString('hex')]),
    ofRun: await ledger.runVersionIds(runId),
  };
}

describe.each(BACKENDS)('migration 053, ascending indexes filled whole ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const runId = randomUUID();
  let before: number[] = [];
  let read: Awaited<ReturnType<typeof readBack>>;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    const r = await commitOnePage(ledger, 'm053', runId, candidates(1, 3, { pipeline: 'm053' }));
    before = r.created.map((c) => c.versionId);
    await ledger.recordSignatures(before.map((id) => signature(id, SEAL)));
    read = await readBack(ledger, runId, before);
    await ledger.close();
    // The schema of the previous release, with the rows in it; opening migrates it again.
    raw = rawKnex(database.url);
    await undoMigrationsSince(raw, '053-ascending-index-fillfactor');
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('reads the versions, signatures and run written before as they were', async () => {
    expect(read.versions).toHaveLength(3);
    expect(read.signatures).toHaveLength(3);
    expect(read.ofRun).toEqual(before);
    expect(await readBack(ledger, runId, before)).toEqual(read);
  });

  if (backend.name === 'postgres')
    it('fills the leaf pages of the versions’ primary key whole as versions come in (PostgreSQL)', async () => {
      // 3,000 entries of 20 bytes: 8 leaf pages filled whole, 9 at the default fillfactor of 90.
      const r = await commitOnePage(
        ledger,
        'm053-many',
        randomUUID(),
        candidates(1, 3000, { pipeline: 'm053-many' }),
      );
      expect(r.created).toHaveLength(3000);
      const size = async (index: string) =>
        Number((await raw.raw('select pg_relation_size(?::regclass) as n', [index])).rows[0].n);
      await raw.raw('create index m053_pkey_at_90 on license_versions (version_id) with (fillfactor = 90)');
      try {
        // The index grown by the inserts is smaller than the same entries packed at the old setting.
        expect(await size('license_versions_pkey')).toBeLessThan(await size('m053_pkey_at_90'));
      } finally {
        await raw.raw('drop index m053_pkey_at_90');
      }
    });

  it('down and up again keep every row', async () => {
    if (!M053) throw new Error('migration 053 not listed');
    // Each index's settings, by name (PostgreSQL; SQLite has none to read or change).
    const settings = async (): Promise<(string[] | null)[]> => {
      if (backend.name !== 'postgres') return [];
      const res = await raw.raw(
        `select c.reloptions from pg_class c
          where c.relnamespace = current_schema()::regnamespace
            and c.relname in ('license_versions_pkey', 'license_versions_run_idx',
                              'license_versions_pipeline_idx', 'signatures_pk')
          order by c.relname`,
      );
      return (res.rows as { reloptions: string[] | null }[]).map((r) => r.reloptions);
    };
    const all = (o: string[] | null) => (backend.name === 'postgres' ? [o, o, o, o] : []);
    expect(await settings()).toEqual(all(['fillfactor=100']));
    await M053.down(raw);
    expect(await settings()).toEqual(all(null));
    expect(await readBack(ledger, runId, before)).toEqual(read);
    await M053.up(raw);
    expect(await settings()).toEqual(all(['fillfactor=100']));
    expect(await readBack(ledger, runId, before)).toEqual(read);
  });
});
