/**
 * Migration 051 on a ledger written before it, on both backends: on PostgreSQL a delivery no round
 * was carried from holds no `carried_attempts` / `carried_retries` (null, read as 0) instead of two
 * 8-byte zeros, ~17 bytes a delivery row; rows written before keep their 0 and read the same. The
 * counters summed from them (ledger.deliveryCounts) and the carry of a replay are unchanged. SQLite
 * keeps its columns: a 0 there takes no byte of the row (its record header says "zero"). Down and
 * up again keep every count.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { newVersions } from './fixtures.js';
import { rawKnex, undoMigrationsSince } from './raw-knex.js';

const M051 = MIGRATIONS.find((m) => m.name === '051-delivery-carried-unset');

async function sums(ledger: Ledger, pipeline: string): Promise<{ attempts: number; retries: number }> {
  const rows = (await ledger.deliveryCounts()).filter((d) => d.pipeline === pipeline);
  return {
    attempts: rows.reduce((n, d) => n + d.attempts, 0),
    retries: rows.reduce((n, d) => n + d.retries, 0),
  };
}

describe.each(BACKENDS)('migration 051, carried attempts left unset ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let before: string[] = [];

  /** The stored carried columns of the deliveries `keys`' versions, in key order. */
  async function carried(keys: readonly string[]): Promise<unknown[][]> {
    const got = await ledger.getDeliveries(keys);
    const rows: { version_id: unknown; carried_attempts: unknown; carried_retries: unknown }[] = await raw(
      'deliveries',
    ).select('version_id', 'carried_attempts', 'carried_retries');
    const byVersion = new Map(
      rows.map((r) => [Number(r.version_id), [r.carried_attempts, r.carried_retries]]),
    );
    return got.map((d) => (byVersion.get(d.versionId) ?? []).map((v) => (v === null ? null : Number(v))));
  }

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    before = (await ledger.ensureDeliveries(await newVersions(ledger, 'm051', 1, 2), 'province')).map(
      (d) => d.key,
    );
    // Carried once before the upgrade: 2 tries, 1 retry.
    const key = before[0] as string;
    await ledger.recordDeliveryAttempt([key], {
      error: 'target: province: ECONNRESET',
      reason: 'unreachable',
    });
    await ledger.recordDeliveryOutcomes([{ key, state: 'dead', reasons: ['rejected'] }]);
    expect(await ledger.replayDeadLetters([key])).toHaveLength(1);
    await ledger.close();
    // The schema of the previous release, its rows as that release wrote them.
    raw = rawKnex(database.url);
    await undoMigrationsSince(raw, '051-delivery-carried-unset');
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('keeps the rows written before as they were, and counts them the same', async () => {
    expect(await carried(before)).toEqual([
      [2, 1],
      [0, 0],
    ]);
    expect(await sums(ledger, 'm051')).toEqual({ attempts: 2, retries: 1 });
  });

  it('stores nothing for a delivery no round was carried from (PostgreSQL), and counts it as 0', async () => {
    const keys = (await ledger.ensureDeliveries(await newVersions(ledger, 'm051-new', 1, 1), 'province')).map(
      (d) => d.key,
    );
    await ledger.recordDeliveryAttempt(keys, {
      error: 'target: province: ECONNRESET',
      reason: 'unreachable',
    });
    await ledger.recordDeliveryOutcomes([{ key: keys[0] as string, state: 'dead', reasons: ['rejected'] }]);
    expect(await carried(keys)).toEqual([backend.name === 'postgres' ? [null, null] : [0, 0]]);
    expect(await sums(ledger, 'm051-new')).toEqual({ attempts: 2, retries: 1 });

    // A replay carries the round onto the unset columns; the next round adds to them.
    expect(await ledger.replayDeadLetters(keys)).toHaveLength(1);
    expect(await carried(keys)).toEqual([[2, 1]]);
    await ledger.recordDeliveryAttempt(keys, {
      error: 'target: province: ECONNRESET',
      reason: 'unreachable',
    });
    await ledger.recordDeliveryOutcomes([{ key: keys[0] as string, state: 'accepted', platformId: 'P-1' }]);
    expect(await sums(ledger, 'm051-new')).toEqual({ attempts: 4, retries: 2 });
  });

  it('down and up again keep every count', async () => {
    const counted = await ledger.deliveryCounts();
    if (!M051) throw new Error('migration 051 not listed');
    await M051.down(raw);
    expect(await ledger.deliveryCounts()).toEqual(counted);
    await M051.up(raw);
    expect(await ledger.deliveryCounts()).toEqual(counted);
  });
});
