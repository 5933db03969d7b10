/**
 * Migration 023: on PostgreSQL a run's versions are indexed by (run_id, version_id), so a progress
 * poll reads only the versions after those it has seen final; undone, the index is on run_id alone.
 * SQLite's index on run_id holds the row id (version_id) already and is left as it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, sqliteBackend, type TestDatabase } from './backends.js';
import { rawKnex } from './raw-knex.js';

const M023 = MIGRATIONS.find((m) => m.name === '023-run-versions-index');
/** Migration 037 indexes the run by its hash on PostgreSQL (hashed-key-indexes test): undone here first. */
const M037 = MIGRATIONS.find((m) => m.name === '037-hashed-key-indexes');

describe('migration 023: a run’s versions by (run_id, version_id)', () => {
  let pg: TestDatabase;
  let lite: TestDatabase;

  beforeAll(async () => {
    pg = await postgresBackend.create();
    lite = await sqliteBackend.create();
    for (const db of [pg, lite]) await (await openLedger(db.url, { logger: quietLogger })).close();
    const raw = rawKnex(pg.url);
    await M037?.down(raw);
    await raw.destroy();
  });
  afterAll(async () => {
    await pg?.dispose();
    await lite?.dispose();
  });

  const pgIndex = async (): Promise<string> => {
    const raw = rawKnex(pg.url);
    try {
      const res = await raw.raw(
        `select indexdef from pg_indexes where indexname = 'license_versions_run_idx' and schemaname = current_schema()`,
      );
      return String(res.rows[0]?.indexdef ?? '');
    } finally {
      await raw.destroy();
    }
  };

  it('indexes (run_id, version_id) on PostgreSQL, and undoes to run_id alone', async () => {
    expect(await pgIndex()).toMatch(/\(run_id, version_id\)$/);
    const raw = rawKnex(pg.url);
    try {
      await M023?.down(raw);
      expect(await pgIndex()).toMatch(/\(run_id\)$/);
      await M023?.up(raw);
    } finally {
      await raw.destroy();
    }
    expect(await pgIndex()).toMatch(/\(run_id, version_id\)$/);
  });

  it('leaves SQLite’s index on run_id as it was', async () => {
    const raw = rawKnex(lite.url);
    try {
      const rows: { name: string }[] = await raw.raw(
        `select name from pragma_index_info('license_versions_run_idx')`,
      );
      expect(rows.map((r) => r.name)).toEqual(['run_id']);
    } finally {
      await raw.destroy();
    }
  });
});
