/**
 * Migration 063 on a ledger written before it, on both backends: building
 * `license_versions_continued_idx` indexes the renewals already written, so the backlog counts a
 * renewal written before the upgrade as held behind the review of the license it continues, and
 * finds it through the index (ledger/backlog.ts `heldBehindReviewQuery`); the migration undoes and
 * does again.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldBehindReviewQuery } from '../../ledger/backlog.js';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { licenseAndRenewal, signedRun } from './continued-review-fixture.js';
import { queryPlan, rawKnex, undoMigrationsSince } from './raw-knex.js';

const NAME = '063-renewals-by-continued-version';
const INDEX = 'license_versions_continued_idx';
const SEAL = 'seal-063';

/** The plan each database picks for the held count, a sequential scan made the last resort on PostgreSQL. */
const heldPlan = (k: Knex, pipeline: string, sqlite: boolean): Promise<string> =>
  queryPlan(k, heldBehindReviewQuery(k, pipeline, SEAL, 'province').first(), sqlite);

describe.each(BACKENDS)('migration 063: first versions by the version they continue ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger | undefined;
  let raw: Knex;
  const sqlite = backend.name === 'sqlite';
  const { pipeline, before, renewal } = licenseAndRenewal();

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    // A ledger as the release before wrote it: a license in review and a renewal of it.
    await undoMigrationsSince(raw, NAME);
    const { keys } = await signedRun(ledger, pipeline, [before, renewal], SEAL);
    await ledger.recordDeliveryOutcomes([{ key: keys[0] as string, state: 'submitted', platformId: 'P-1' }]);
    await ledger.close();
    // The upgrade: opening migrates.
    ledger = await openLedger(database.url, { logger: quietLogger });
  }, 60_000);

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('counts a renewal written before the upgrade as held, through the index', async () => {
    expect(await raw('ledger_migrations').where({ name: NAME }).first()).toBeDefined();
    const backlog = await ledger?.pipelineBacklog(pipeline, SEAL, ['province']);
    expect(backlog?.inReview).toEqual({ province: 2 });
    expect(await heldPlan(raw, pipeline, sqlite)).toContain(INDEX);
  });

  it('undoes and does again', async () => {
    await undoMigrationsSince(raw, NAME);
    const m = MIGRATIONS.find((x) => x.name === NAME);
    if (!m) throw new Error(`no migration ${NAME}`);
    await m.up(raw);
    await raw('ledger_migrations').insert({ name: m.name, batch: 99, migration_time: new Date() });
    expect(await heldPlan(raw, pipeline, sqlite)).toContain(INDEX);
    expect((await ledger?.pipelineBacklog(pipeline, SEAL, ['province']))?.inReview).toEqual({ province: 2 });
  });
});
