/**
 * Migration 041 on a ledger written before it, on both backends: the deliveries it holds get no
 * revision (the upgrade writes no row) and read their `attempts` as one until their first write, so
 * a write decided from a read before a replay still cannot meet the row again after it. Down and
 * up again keeps every row.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { newVersions } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

const SINCE_041 = MIGRATIONS.slice(MIGRATIONS.findIndex((m) => m.name === '041-delivery-revision')).reverse();

describe.each(BACKENDS)('migration 041, delivery revisions ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let keys: string[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    keys = (await ledger.ensureDeliveries(await newVersions(ledger, 'm041', 1, 2), 'province')).map(
      (d) => d.key,
    );
    await ledger.recordDeliveryAttempt([keys[0] as string], {
      error: 'target: province: ECONNRESET',
      reason: 'unreachable',
    });
    await ledger.recordDeliveryOutcomes([{ key: keys[0] as string, state: 'dead', reasons: ['rejected'] }]);
    await ledger.close();
    // The schema of the previous release, its rows as that release wrote them.
    raw = rawKnex(database.url);
    for (const m of SINCE_041) {
      await m.down(raw);
      await raw('ledger_migrations').where({ name: m.name }).delete();
    }
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('writes no row: those before it read their attempts as their revision', async () => {
    const rows: { revision: unknown }[] = await raw('deliveries').select('revision');
    expect(rows.map((r) => r.revision)).toEqual([null, null]);
    const read = await ledger.getDeliveries(keys);
    expect(read.map((d) => [d.state, d.attempts, d.revision])).toEqual([
      ['dead', 2, 2],
      ['pending', 0, 0],
    ]);
  });

  it('a write decided before a replay does not meet the replayed row', async () => {
    const key = keys[0] as string;
    const [before] = await ledger.getDeliveries([key]);
    expect(await ledger.replayDeadLetters([key])).toHaveLength(1);
    // Sent anew and failed twice: its attempts are again those read before the replay.
    await ledger.recordDeliveryAttempt([key], {
      error: 'target: province: ECONNRESET',
      reason: 'unreachable',
    });
    await ledger.recordDeliveryAttempt([key], {
      error: 'target: province: ECONNRESET',
      reason: 'unreachable',
    });
    const [again] = await ledger.getDeliveries([key]);
    expect([again?.state, again?.attempts, again?.revision]).toEqual(['pending', before?.attempts, 5]);
    const stale = await ledger.recordDeliveryOutcomes([
      { key, state: 'dead', reasons: ['gave up'], revision: before?.revision as number },
    ]);
    expect(stale).toEqual([]);
    expect((await ledger.getDeliveries([key]))[0]).toMatchObject({
      state: 'pending',
      attempts: 2,
      revision: 5,
    });
    // Read now, it is written, one more.
    expect(
      await ledger.recordDeliveryOutcomes([{ key, state: 'dead', reasons: ['rejected'], revision: 5 }]),
    ).toEqual([key]);
    expect((await ledger.getDeliveries([key]))[0]).toMatchObject({ state: 'dead', attempts: 3, revision: 6 });
  });

  it('goes down and up again, every delivery kept', async () => {
    const read = await ledger.getDeliveries(keys);
    for (const m of SINCE_041) await m.down(raw);
    const gone: { name: string }[] =
      backend.name === 'sqlite'
        ? await raw.raw("select name from pragma_table_info('deliveries') where name = 'revision'")
        : (
            await raw.raw(
              `select column_name as name from information_schema.columns
                where table_schema = current_schema() and table_name = 'deliveries' and column_name = 'revision'`,
            )
          ).rows;
    expect(gone).toEqual([]);
    for (const m of [...SINCE_041].reverse()) await m.up(raw);
    expect((await ledger.getDeliveries(keys)).map((d) => [d.key, d.state, d.attempts])).toEqual(
      read.map((d) => [d.key, d.state, d.attempts]),
    );
  });
});
