/**
 * Migration 057 on each ledger backend: the reminders' lookup of renewals under a new number
 * (ledger/predecessors.ts `renewalsNaming`) goes through `license_versions_previous_idx`, never a
 * read of every version's text; and the migration undoes and does again.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { renewalsNaming } from '../../ledger/predecessors.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { queryPlan, rawKnex, undoMigrationsSince } from '../ledger/raw-knex.js';

describe.each(BACKENDS)('migration 057: renewals by the predecessor they name ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const sqlite = backend.name === 'sqlite';

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('finds the renewals naming an identifier through the index', async () => {
    const p = await queryPlan(raw, renewalsNaming(raw, ['X.1.A', 'Y.2.B']), sqlite);
    expect(p).toContain('license_versions_previous_idx');
  });

  it('undoes and does again', async () => {
    await undoMigrationsSince(raw, '057-renewals-by-predecessor');
    const m = MIGRATIONS.find((x) => x.name === '057-renewals-by-predecessor');
    await m?.up(raw);
    const p = await queryPlan(raw, renewalsNaming(raw, ['X.1.A']), sqlite);
    expect(p).toContain('license_versions_previous_idx');
  });
});
