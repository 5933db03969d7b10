/**
 * The ledger side of re-deliveries answered as duplicates (migration 034), on both backends:
 * - a duplicate answer is kept through later answers: a `submitted` duplicate polled later as
 *   `accepted` (a status answer says nothing of duplicates) still reads as answered a duplicate;
 * - a delivery a repair held back is not reopened by a later repair, until released; reopened,
 *   it is answered afresh;
 * - the migration upgrades a ledger written before it (its deliveries neither answered nor held)
 *   and its down drops the columns.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { rawKnex } from '../ledger/raw-knex.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
const TARGET = 'province';
const M034 = MIGRATIONS.find((m) => m.name === '034-delivery-duplicates');
/** Migration 040 indexes 034's `duplicate_repair`: a ledger before 034 has neither. */
const M040 = MIGRATIONS.find((m) => m.name === '040-held-duplicates-index');

function license(serial: string, version: number): License {
  return {
    identifier: ids.identifier(serial, version),
    number: `JY${serial}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2021-01-01',
    validFrom: '2021-01-01',
    validTo: '2031-01-09',
    areaCode: '370211',
    holder: { name: '某某餐饮有限公司', idType: '001', id: '91370211MA3C000000' },
    status: 'valid',
    surface: { businessItems: ['热食类食品制售'] },
  };
}

describe.each(BACKENDS)('re-deliveries answered as duplicates, in the ledger ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const pipeline = `dup-${tag.toLowerCase()}`;
  const keys: string[] = [];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const serials = [1, 2].map((n) => `DP${tag}00000${n}`);
    const { created } = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: serials.length,
      candidates: serials.map((serial) => ({
        licenseId: ids.licenseId(serial),
        sourceKey: serial,
        contentHash: contentHash(license(serial, 1)),
        status: 'valid' as const,
        lineage: {
          pipeline,
          source: 's',
          sourceKey: serial,
          runId,
          catalogVersion: 'c',
          mappingVersion: 'm',
        },
        build: (version: number) => license(serial, version),
      })),
      quarantined: [],
    });
    await ledger.ensureDeliveries(
      created.map((c) => c.versionId),
      TARGET,
    );
    keys.push(...serials.map((s) => `${ids.licenseId(s)}:1:${TARGET}`));
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('keeps a duplicate answer through a later answer that says nothing of it', async () => {
    const [polled, plain] = keys as [string, string];
    // The platform's first word on the send: submitted, a duplicate; its review then accepts it.
    await ledger.recordDeliveryOutcomes([
      { key: polled, state: 'submitted', platformId: 'P-1', receipt: { batchId: 'B-1', duplicate: true } },
      { key: plain, state: 'accepted', platformId: 'P-2', receipt: { batchId: 'B-1', duplicate: false } },
    ]);
    await ledger.recordDeliveryOutcomes([
      { key: polled, state: 'accepted', platformId: 'P-1', receipt: { batchId: 'B-2', duplicate: false } },
    ]);
    const [d] = await ledger.getDeliveries([polled]);
    expect(d?.state).toBe('accepted');
    const found = await ledger.repairDuplicates.find(keys);
    expect(found.map((f) => [f.key, f.answeredAt instanceof Date, f.heldBy])).toEqual([[polled, true, null]]);
  });

  it('holds a duplicate back from later repairs until released, then answers it afresh', async () => {
    const [polled, plain] = keys as [string, string];
    // Only a delivery answered as a duplicate is held.
    expect(await ledger.repairDuplicates.hold(keys, 'repair-r1', 'operator:test')).toBe(1);
    expect((await ledger.repairDuplicates.find(keys)).map((f) => [f.key, f.heldBy])).toEqual([
      [polled, 'repair-r1'],
    ]);
    // A later repair reopens the other delivery only.
    expect(await ledger.reopenDeliveries(keys, 'operator:test', 'reconcile r2')).toBe(1);
    const [held, reopened] = await ledger.getDeliveries(keys);
    expect([held?.key, held?.state]).toEqual([polled, 'accepted']);
    expect([reopened?.key, reopened?.state]).toEqual([plain, 'pending']);

    expect(
      await ledger.repairDuplicates.release(keys, 'operator:test', 'reconcile r3: --resend-duplicates'),
    ).toBe(1);
    expect(await ledger.reopenDeliveries([polled], 'operator:test', 'reconcile r3')).toBe(1);
    expect(await ledger.repairDuplicates.find(keys)).toEqual([]);

    const details = (await ledger.readAudit({ limit: 1000 }))
      .filter((e) => e.action === 'repair' && keys.some((k) => k.startsWith(`${e.licenseId}:`)))
      .map((e) => JSON.parse(e.detail) as Record<string, string>);
    expect(details).toContainEqual({
      deliveryKey: polled,
      runId: 'repair-r1',
      held: 'answered as a duplicate: not sent again',
    });
    expect(details).toContainEqual({
      deliveryKey: polled,
      reason: 'reconcile r3: --resend-duplicates',
      released: 'repair-r1',
    });
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  it("holds no later version of a held delivery's license", async () => {
    const [polled] = keys as [string, string];
    expect(await ledger.repairDuplicates.hold([polled], 'repair-r4', 'operator:test')).toBe(0);
    // Answered a duplicate again and held by the repair that found so.
    await ledger.recordDeliveryOutcomes([
      { key: polled, state: 'accepted', platformId: 'P-1', receipt: { batchId: 'B-3', duplicate: true } },
    ]);
    expect(await ledger.repairDuplicates.hold([polled], 'repair-r4', 'operator:test')).toBe(1);
    // The license changes again: its next version is delivered, and reopened by a repair, as any other.
    const serial = `DP${tag}000001`;
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const changed = (version: number): License => ({
      ...license(serial, version),
      surface: { businessItems: ['热食类食品制售', '冷食类食品制售'] },
    });
    const { created } = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k2' }),
      rowsRead: 1,
      candidates: [
        {
          licenseId: ids.licenseId(serial),
          sourceKey: serial,
          contentHash: contentHash(changed(2)),
          status: 'valid' as const,
          lineage: {
            pipeline,
            source: 's',
            sourceKey: serial,
            runId,
            catalogVersion: 'c',
            mappingVersion: 'm',
          },
          build: changed,
        },
      ],
      quarantined: [],
    });
    expect(created.map((c) => c.version)).toEqual([2]);
    await ledger.ensureDeliveries(
      created.map((c) => c.versionId),
      TARGET,
    );
    const next = `${ids.licenseId(serial)}:2:${TARGET}`;
    await ledger.recordDeliveryOutcomes([{ key: next, state: 'accepted', platformId: 'P-1' }]);
    expect((await ledger.repairDuplicates.find([polled, next])).map((f) => [f.key, f.heldBy])).toEqual([
      [polled, 'repair-r4'],
    ]);
    expect(await ledger.reopenDeliveries([next], 'operator:test', 'reconcile r5')).toBe(1);
    expect((await ledger.getDeliveries([next]))[0]?.state).toBe('pending');
  });

  it('upgrades a ledger written before migration 034, and its down drops the columns', async () => {
    await ledger.close();
    const raw = rawKnex(database.url);
    // SQLite drops a column by copying the table: its indexes must come back with it.
    const indexes = async () =>
      backend.name === 'sqlite'
        ? ((await raw.raw(
            "select name from sqlite_master where type = 'index' and tbl_name = 'deliveries'",
          )) as {
            name: string;
          }[])
        : (
            (await raw.raw(
              "select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'deliveries'",
            )) as {
              rows: { name: string }[];
            }
          ).rows;
    try {
      const before = (await indexes())
        .map((i) => i.name)
        .filter((name) => name !== 'deliveries_held_duplicates_idx')
        .sort();
      // Undone newest first, as a release before 034 had neither.
      await M040?.down(raw);
      await M034?.down(raw);
      expect((await indexes()).map((i) => i.name).sort()).toEqual(before);
      await raw('ledger_migrations')
        .whereIn('name', ['034-delivery-duplicates', '040-held-duplicates-index'])
        .delete();
      const columns = Object.keys(await raw('deliveries').columnInfo());
      expect(columns).not.toContain('duplicate_at');
      expect(columns).not.toContain('duplicate_repair');
    } finally {
      await raw.destroy();
    }
    ledger = await openLedger(database.url, { logger: quietLogger });
    expect(await ledger.repairDuplicates.find(keys)).toEqual([]);
    expect((await ledger.getDeliveries(keys)).map((d) => d.key)).toEqual(keys);
  });
});
