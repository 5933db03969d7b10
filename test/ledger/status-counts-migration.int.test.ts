/**
 * Migration 058 on a ledger written before it, on both backends: the kept counts start from the
 * rows the ledger holds (deliveries with their attempts, retries and carried rounds, signatures of
 * two seals, versions of two pipelines, license files), writes after it add to them, and down and up again counts
 * the rows again.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { newVersions, signature, uniqueName } from './fixtures.js';
import { rawKnex, undoMigrationsSince } from './raw-knex.js';
import { expectKeptEqualsRows, licenseFile } from './status-counts-from-rows.js';

const SEALS = ['37021100000058', '37021100000059'];

describe.each(BACKENDS)('migration 058, status counts ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  const [a, b] = [uniqueName('before'), uniqueName('before')] as [string, string];
  let keys: string[] = [];

  const undo = () => undoMigrationsSince(raw, '058-status-counts');

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    // Written by the ledger, then the counts taken away: a ledger as the previous release left it.
    const idsA = await newVersions(ledger, a, 1, 5);
    const idsB = await newVersions(ledger, b, 1, 2);
    await ledger.recordSignatures(
      [...idsA.slice(0, 4), ...idsB].map((id) => signature(id, SEALS[0] as string)),
    );
    await ledger.recordSignatures(idsA.slice(0, 2).map((id) => signature(id, SEALS[1] as string)));
    await ledger.licenseFiles.record(
      (await ledger.getVersions(idsA.slice(0, 3))).map((v) =>
        licenseFile({ versionId: v.versionId, licenseId: v.licenseId, version: v.version, pipeline: a }),
      ),
    );
    keys = (await ledger.ensureDeliveries(idsA.slice(0, 4), 'province')).map((d) => d.key);
    await ledger.ensureDeliveries(idsB, 'city');
    await ledger.recordDeliveryAttempt(keys.slice(0, 3), { error: 'province: timeout', reason: 'timeout' });
    await ledger.recordDeliveryAttempt(keys.slice(0, 2), { error: 'province: timeout', reason: 'timeout' });
    await ledger.recordDeliveryOutcomes([
      { key: keys[0] as string, state: 'dead', reasons: ['province: timeout'] },
      { key: keys[1] as string, state: 'accepted', platformId: 'P-1' },
    ]);
    expect(await ledger.replayDeadLetters([keys[0] as string])).toHaveLength(1);
    await ledger.close();
    await undo();
    for (const table of ['delivery_counts', 'signature_counts', 'version_counts', 'license_file_counts'])
      expect(await raw.schema.hasTable(table)).toBe(false);
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('starts the counts from the rows', async () => {
    await expectKeptEqualsRows(ledger, raw, [a, b], SEALS);
    const replayed = (await ledger.deliveryCounts()).find((d) => d.pipeline === a && d.state === 'pending');
    // Four deliveries: the replayed one's three tries carried, one more try on the third.
    expect(replayed).toMatchObject({ count: 3, attempts: 4, retries: 2 });
    expect(await ledger.awaitingSignature(a, SEALS[1] as string)).toBe(3);
    expect(await ledger.licenseFiles.countWithoutFile(a)).toBe(2);
  });

  it('adds the writes made after it', async () => {
    const more = await newVersions(ledger, a, 10, 2);
    await ledger.recordSignatures(more.map((id) => signature(id, SEALS[1] as string)));
    await ledger.recordDeliveryOutcomes([{ key: keys[2] as string, state: 'accepted', platformId: 'P-2' }]);
    await expectKeptEqualsRows(ledger, raw, [a, b], SEALS);
    expect(await ledger.awaitingSignature(a, SEALS[1] as string)).toBe(3);
  });

  it('down and up again counts the rows again', async () => {
    const before = await ledger.deliveryCounts();
    await ledger.close();
    await undo();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await expectKeptEqualsRows(ledger, raw, [a, b], SEALS);
    expect(await ledger.deliveryCounts()).toEqual(expect.arrayContaining(before));
  });
});
