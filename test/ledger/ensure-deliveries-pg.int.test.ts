/**
 * PostgreSQL: `ensureDeliveries` checks and writes in one statement outside a transaction
 * (ledger/pg-ensure-deliveries.ts), and does what the read and the transaction did: rows made
 * pending (leased when asked), a row already there left as it is, and a call naming a version not
 * in the ledger refused with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { newVersions, uniqueName } from './fixtures.js';
import { recordPgStatements, statementsOf, stopRecordingPgStatements } from './pg-statements.js';
import { rawKnex } from './raw-knex.js';

describe('ensureDeliveries in one statement (postgres)', () => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    recordPgStatements();
    database = await postgresBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
    stopRecordingPgStatements();
  });

  it('makes the rows with one statement and no transaction, leaving rows already there', async () => {
    const ids = await newVersions(ledger, uniqueName('ens'), 1, 3);
    await ledger.ensureDeliveries([ids[0] ?? 0], 'province');
    const { texts, result: made } = await statementsOf(() =>
      ledger.ensureDeliveries(ids, 'province', { owner: 'sender-1', leaseMs: 60_000 }),
    );
    expect(texts.filter((t) => /^(BEGIN|COMMIT)/i.test(t))).toEqual([]);
    expect(texts.filter((t) => t.includes('deliveries'))).toHaveLength(2);
    expect(made.map((d) => [d.versionId, d.state])).toEqual(ids.map((id) => [id, 'pending']));
  });

  it('refuses versions not in the ledger and writes nothing', async () => {
    const ids = await newVersions(ledger, uniqueName('ens'), 1, 2);
    const absent = Math.max(...ids) + 1000;
    await expect(ledger.ensureDeliveries([...ids, absent], 'city')).rejects.toThrow(
      /1 of 3 version ids are not in the ledger/,
    );
    const raw = rawKnex(database.url);
    try {
      const [{ n }] = (await raw('deliveries').where({ target: 'city' }).count('* as n')) as [{ n: unknown }];
      expect(Number(n)).toBe(0);
    } finally {
      await raw.destroy();
    }
    expect((await ledger.ensureDeliveries(ids, 'city')).map((d) => d.versionId)).toEqual(ids);
  });
});
