/**
 * A PostgreSQL connection lost while COMMIT's answer is on its way: the transaction committed,
 * the ledger did not hear it. Retrying it as if it had rolled back wrote it twice (a second
 * objection, a second audit entry); the ledger asks the database what became of it instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { PG_URL, postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { newLicense, newVersions, uniqueName } from './fixtures.js';
import { type PgCutter, startPgCutter, throughCutter } from './pg-cutter.js';

describe('a write whose COMMIT answer is lost (postgres)', () => {
  let database: TestDatabase;
  let cutter: PgCutter;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await postgresBackend.create();
    cutter = await startPgCutter(new URL(PG_URL));
    ledger = await openLedger(throughCutter(database.url, cutter), {
      logger: quietLogger,
      retryBudgetMs: 30_000,
    });
  });
  afterAll(async () => {
    await ledger?.close();
    await cutter?.close();
    await database?.dispose();
  });

  /** A simple query ('Q') whose text is COMMIT, as knex ends a transaction. */
  const COMMIT = /^Q[\s\S]{4}COMMIT;?\0$/;

  it('is written once, and the call returns what it wrote', async () => {
    const licenseId = await newLicense(ledger);
    const cutsBefore = cutter.cuts;

    cutter.arm(COMMIT, 'after');
    const opened = await ledger.openObjection({ licenseId, unit: 'u', reason: 'r', actor: 'operator:test' });

    expect(cutter.cuts).toBe(cutsBefore + 1);
    const stored = await ledger.listObjections({ licenseId });
    expect(stored.map((o) => o.objectionId)).toEqual([opened.objectionId]);
  }, 60_000);

  it('one whose COMMIT never reached the server is written again, once', async () => {
    const licenseId = await newLicense(ledger);
    const cutsBefore = cutter.cuts;

    cutter.arm(COMMIT, 'before');
    const opened = await ledger.openObjection({ licenseId, unit: 'u', reason: 'r', actor: 'operator:test' });

    expect(cutter.cuts).toBe(cutsBefore + 1);
    const stored = await ledger.listObjections({ licenseId });
    expect(stored.map((o) => o.objectionId)).toEqual([opened.objectionId]);
  }, 60_000);

  it('one whose COMMIT was lost on a connection the server still holds open is written once', async () => {
    // The server sees nothing of the loss: the session sits idle in its transaction, which stays
    // "in progress" until TCP keepalive ends it, hours later; the write waited for it and failed
    // when the retry budget ran out, its locks still held.
    const licenseId = await newLicense(ledger);
    const cutsBefore = cutter.cuts;

    cutter.arm(COMMIT, 'stalled');
    const opened = await ledger.openObjection({ licenseId, unit: 'u', reason: 'r', actor: 'operator:test' });

    expect(cutter.cuts).toBe(cutsBefore + 1);
    const stored = await ledger.listObjections({ licenseId });
    expect(stored.map((o) => o.objectionId)).toEqual([opened.objectionId]);
  }, 60_000);
});

describe('a write whose connection is lost before it commits (postgres)', () => {
  let database: TestDatabase;
  let cutter: PgCutter;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await postgresBackend.create();
    cutter = await startPgCutter(new URL(PG_URL));
    ledger = await openLedger(throughCutter(database.url, cutter), {
      logger: quietLogger,
      retryBudgetMs: 30_000,
    });
  });
  afterAll(async () => {
    await ledger?.close();
    await cutter?.close();
    await database?.dispose();
  });

  /** Two dead letters at one target; their delivery keys. */
  async function deadLetters(): Promise<string[]> {
    const versionIds = await newVersions(ledger, uniqueName('p'), 1, 2);
    const deliveries = await ledger.ensureDeliveries(versionIds, 'province');
    await ledger.recordDeliveryOutcomes(deliveries.map((d) => ({ key: d.key, state: 'dead' as const })));
    return deliveries.map((d) => d.key).sort();
  }

  async function lastSeq(): Promise<number> {
    return (await ledger.verifyAudit()).headSeq;
  }

  it('a replay retried after the rollback acts on each dead letter once, in its answer and in the audit chain', async () => {
    // What one replay of two dead letters writes to the audit chain, without a failure.
    const control = await deadLetters();
    const beforeControl = await lastSeq();
    await ledger.replayDeadLetters(control);
    const controlEntries = (await lastSeq()) - beforeControl;

    const keys = await deadLetters();
    const before = await lastSeq();
    // The audit entry is the transaction's last statement: both deliveries have moved by then.
    cutter.arm(/insert into audit_log/, 'before');
    const replayed = await ledger.replayDeadLetters(keys);

    expect(cutter.cuts).toBe(1);
    expect(replayed.map((d) => d.key).sort()).toEqual(keys);
    expect((await lastSeq()) - before).toBe(controlEntries);
    expect((await ledger.verifyAudit()).ok).toBe(true);
  }, 60_000);
});
