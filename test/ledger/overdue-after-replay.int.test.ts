/**
 * The overdue check of `licbridge status` counts a replayed dead letter as open since its replay,
 * not since its row was written: a replay is a fresh round, and one an operator has just made is
 * no delivery left waiting. A delivery open since it was written, retried ever since, stays
 * overdue, and so does a replayed one once its own round has run past the limit. A discarded
 * dead letter is closed: never overdue. On both backends.
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

describe.each(BACKENDS)('overdue deliveries after a replay ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const pipeline = uniqueName('overdue');
  /** Written three days ago: replayed, discarded, open all along. */
  let keys: { replayed: string; discarded: string; open: string };
  const written = new Date(Date.now() - 72 * HOUR);
  /** When the replay is taken to have been made, in the tests that let its round run past the limit. */
  const replayedAt = new Date(Date.now() - 2 * HOUR);

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    const ids = await newVersions(ledger, pipeline, 1, 3);
    await ledger.recordSignatures(ids.map((id) => signature(id, 'seal-overdue')));
    const [replayed, discarded, open] = (await ledger.ensureDeliveries(ids, TARGET)).map((d) => d.key);
    keys = { replayed: replayed as string, discarded: discarded as string, open: open as string };
    await ledger.recordDeliveryOutcomes([
      { key: keys.replayed, state: 'dead', reasons: ['rejected: 证照类型代码不存在'] },
      { key: keys.discarded, state: 'dead', reasons: ['rejected: 证照类型代码不存在'] },
    ]);
    await raw('deliveries').update({ created_at: written.toISOString() });
    expect(await ledger.replayDeadLetters([keys.replayed])).toHaveLength(1);
    expect(await ledger.discardDeadLetters([keys.discarded])).toHaveLength(1);
    // Tried again just now: the row is written afresh, yet the delivery has been open for days.
    await ledger.recordDeliveryAttempt([keys.open], {
      error: 'platform: not reachable: connect ECONNREFUSED',
      reason: 'unreachable',
    });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('leaves out a dead letter just replayed, and keeps the one open since it was written', async () => {
    const overdue = await ledger.overdueDeliveries(TARGET, new Date(Date.now() - HOUR));
    expect(overdue).toEqual([{ pipeline, target: TARGET, count: 1, oldest: written }]);
  });

  it('counts a replayed delivery once its round has been open past the limit, from its replay', async () => {
    await raw('dead_letter_actions')
      .where({ delivery_key: keys.replayed, action: 'replay' })
      .update({ created_at: replayedAt.toISOString() });
    // Its round began then too (`opened_at`, migration 050).
    await raw('deliveries')
      .update({ opened_at: replayedAt.toISOString() })
      .whereIn('version_id', versionIdsOf(keys.replayed));
    expect(await ledger.overdueDeliveries(TARGET, new Date(Date.now() - HOUR))).toEqual([
      { pipeline, target: TARGET, count: 2, oldest: written },
    ]);
    // The delivery open all along accepted, the oldest left is the replayed one: open since its replay.
    await raw('deliveries').update({ state: 'accepted' }).whereIn('version_id', versionIdsOf(keys.open));
    expect(await ledger.overdueDeliveries(TARGET, new Date(Date.now() - HOUR))).toEqual([
      { pipeline, target: TARGET, count: 1, oldest: replayedAt },
    ]);
    expect(await ledger.overdueDeliveries(TARGET, new Date(Date.now() - 3 * HOUR))).toEqual([]);
  });

  it('tells a replay made before migration 050 (no opened_at) from the replay logged', async () => {
    await raw('deliveries').update({ opened_at: null }).whereIn('version_id', versionIdsOf(keys.replayed));
    expect(await ledger.overdueDeliveries(TARGET, new Date(Date.now() - HOUR))).toEqual([
      { pipeline, target: TARGET, count: 1, oldest: replayedAt },
    ]);
    expect(await ledger.overdueDeliveries(TARGET, new Date(Date.now() - 3 * HOUR))).toEqual([]);
  });

  /** The version id of the delivery `key`, as a subquery. */
  function versionIdsOf(key: string): Knex.QueryBuilder {
    const [licenseId, version] = key.split(':');
    return raw('license_versions')
      .select('version_id')
      .where({ license_id: licenseId, version: Number(version) });
  }
});
