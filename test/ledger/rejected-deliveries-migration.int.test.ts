/**
 * Migration 049 on a ledger holding deliveries an earlier licbridge recorded `rejected`, on both
 * backends: they become dead letters with their reasons, so `dlq list` shows them, a replay or a
 * discard takes them, and no deliver job claims and sends the rejected record again. Rows in other
 * states are left as they were.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { newVersions } from './fixtures.js';
import { rawKnex, undoMigrationsSince } from './raw-knex.js';

describe.each(BACKENDS)('migration 049, rejected deliveries ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let keys: string[] = [];
  let versionIds: number[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    versionIds = await newVersions(ledger, 'm049', 1, 3);
    keys = (await ledger.ensureDeliveries(versionIds, 'province')).map((d) => d.key);
    await ledger.recordDeliveryAttempt([keys[0] as string], {
      error: 'target: province: ECONNRESET',
      reason: 'unreachable',
    });
    await ledger.recordDeliveryOutcomes([{ key: keys[2] as string, state: 'accepted', platformId: 'P-3' }]);
    await ledger.releaseDeliveries(keys, 'nobody');
    await ledger.close();
    // The rows as a release before the dead letters wrote a platform's rejection.
    raw = rawKnex(database.url);
    await undoMigrationsSince(raw, '049-rejected-deliveries-dead');
    await raw('deliveries')
      .where({ version_id: versionIds[0], target: 'province' })
      .update({ state: 'rejected', reasons: JSON.stringify(['platform: ZZBH duplicate']) });
    await raw('deliveries').update({ claim_owner: null, claimed_until: null });
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('makes them dead letters with their reasons, other rows as they were', async () => {
    const read = await ledger.getDeliveries(keys);
    expect(read.map((d) => d.state)).toEqual(['dead', 'pending', 'accepted']);
    expect(read[0]?.reasons).toEqual(['platform: ZZBH duplicate']);
    expect((await ledger.listDeadLetters()).map((d) => d.key)).toEqual([keys[0]]);
  });

  it('leaves them to no deliver job: a claim takes the open row only', async () => {
    expect(await ledger.claimDeliveries(keys, 'job-1', 60_000)).toEqual([keys[1]]);
    await ledger.releaseDeliveries(keys, 'job-1');
  });

  it('an operator can replay one', async () => {
    expect((await ledger.replayDeadLetters([keys[0] as string])).map((d) => d.key)).toEqual([keys[0]]);
    expect((await ledger.getDeliveries([keys[0] as string]))[0]?.state).toBe('pending');
  });
});
