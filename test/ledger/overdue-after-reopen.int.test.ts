/**
 * The overdue check of `licbridge status` counts a delivery a repair reopened as open since the
 * reopening. An accepted delivery written days ago and put back to `pending` by
 * `reconcile --repair` a moment ago was named overdue at once (`delivery-overdue`, exit 3): the
 * check counted from when its row was written, and the reopening left nothing it could read. It
 * now begins a round (`opened_at`, migration 050), as a replay does. On both backends.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { newVersions, signature, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const HOUR = 3_600_000;
const TARGET = 'province';

describe.each(BACKENDS)('overdue deliveries after a repair reopened one ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const pipeline = uniqueName('reopened');
  let key: string;
  const written = new Date(Date.now() - 72 * HOUR);

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    const ids = await newVersions(ledger, pipeline, 1, 1);
    await ledger.recordSignatures(ids.map((id) => signature(id, 'seal-reopened')));
    key = (await ledger.ensureDeliveries(ids, TARGET))[0]?.key as string;
    await ledger.recordDeliveryOutcomes([{ key, state: 'accepted', platformId: 'P1' }]);
    await raw('deliveries').update({ created_at: written.toISOString() });
    // A check found the platform lacks it: the repair sends it again.
    expect(await ledger.reopenDeliveries([key], 'reconcile', 'reconcile r-1')).toBe(1);
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('leaves out a delivery a repair has just reopened', async () => {
    expect(await ledger.overdueDeliveries(TARGET, new Date(Date.now() - HOUR))).toEqual([]);
  });

  it('counts it once its round has been open past the limit, from the reopening', async () => {
    const reopenedAt = new Date(Date.now() - 2 * HOUR);
    await raw('deliveries').update({ opened_at: reopenedAt.toISOString() });
    expect(await ledger.overdueDeliveries(TARGET, new Date(Date.now() - HOUR))).toEqual([
      { pipeline, target: TARGET, count: 1, oldest: reopenedAt },
    ]);
    expect(await ledger.overdueDeliveries(TARGET, new Date(Date.now() - 3 * HOUR))).toEqual([]);
  });
});
