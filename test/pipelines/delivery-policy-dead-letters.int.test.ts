/**
 * deadLetterOpen on a real SQLite ledger: every open delivery of the job (pending or rejected)
 * becomes dead with the error's message; final ones (accepted) stay as they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deadLetterOpen } from '../../pipelines/delivery-policy.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates, uniqueName } from '../ledger/fixtures.js';

describe('deadLetterOpen', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  let versionIds: number[];

  beforeAll(async () => {
    database = await sqliteBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    const pipeline = uniqueName('dl');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const page = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 4,
      candidates: candidates(1, 4, { pipeline }),
      quarantined: [],
    });
    versionIds = page.created.map((c) => c.versionId);
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('marks pending and rejected deliveries dead with the reason, leaves accepted ones, counts what it marked', async () => {
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    const [accepted, rejected] = rows;
    await ledger.recordDeliveryOutcomes([
      { key: accepted?.key as string, state: 'accepted', platformId: 'P1' },
      { key: rejected?.key as string, state: 'rejected', reasons: ['zzbh: required'] },
    ]);

    const count = await deadLetterOpen(
      ledger,
      versionIds,
      'province',
      new Error('target province: 503 three times'),
    );
    expect(count).toBe(3);

    const after = new Map((await ledger.getDeliveries(rows.map((r) => r.key))).map((r) => [r.key, r]));
    expect(after.get(accepted?.key as string)?.state).toBe('accepted');
    for (const r of rows.slice(1)) {
      expect(after.get(r.key)).toMatchObject({
        state: 'dead',
        reasons: ['target province: 503 three times'],
      });
    }
    // Nothing is open any more: a second call marks nothing.
    expect(await deadLetterOpen(ledger, versionIds, 'province', 'gave up')).toBe(0);
  });

  it('records a non-Error reason as its text', async () => {
    const [row] = await ledger.ensureDeliveries(versionIds.slice(0, 1), 'city');
    expect(await deadLetterOpen(ledger, versionIds.slice(0, 1), 'city', 'gave up')).toBe(1);
    const [after] = await ledger.getDeliveries([row?.key as string]);
    expect(after).toMatchObject({ state: 'dead', reasons: ['gave up'] });
  });
});
