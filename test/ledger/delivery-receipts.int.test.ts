/**
 * Receipts kept once per text (migration 036, ledger/delivery-receipts.ts), on both backends: a
 * batch's one answer is stored once and named by each delivery, a receipt past the shared limit
 * stays in its row, and every delivery and repair reads the text it was given. A ledger written
 * before 036 is converted on upgrade and reads the same; down puts every text back in its row.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { SHARED_RECEIPT_MAX } from '../../ledger/delivery-receipts.js';
import type { Ledger, StoredDelivery } from '../../ledger/ledger.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

/** 036 and every migration after it, newest first: undone in this order, they give the schema before 036. */
const SINCE_036 = MIGRATIONS.slice(MIGRATIONS.findIndex((m) => m.name === '036-delivery-receipts')).reverse();
const BATCH = { batchId: 'b2ec6123-4cab-467b-85dc-c4187924124f', duplicate: false };
const LONG = { batchId: 'B-long', note: '回执'.repeat(SHARED_RECEIPT_MAX) };

interface RowReceipt {
  receipt: string | null;
  receipt_id: unknown;
}

describe.each(BACKENDS)('delivery receipts kept once ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let keys: string[];
  let written: StoredDelivery[];

  const rows = async (): Promise<RowReceipt[]> =>
    raw('deliveries').select('receipt', 'receipt_id').orderBy('version_id');

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    const pipeline = uniqueName('m036');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const result = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 5,
      candidates: candidates(1, 5, { pipeline, runId }),
      quarantined: [],
    });
    const ids = result.created.map((c) => c.versionId);
    await ledger.recordSignatures(ids.map((id) => signature(id, 'seal-m036')));
    keys = (await ledger.ensureDeliveries(ids, 'province')).map((d) => d.key);
    // One batch's answer for three keys, a long answer, and a key left without one.
    await ledger.recordDeliveryOutcomes([
      { key: keys[0] as string, state: 'accepted', platformId: 'PV-1', receipt: BATCH },
      { key: keys[1] as string, state: 'accepted', platformId: 'PV-2', receipt: BATCH },
      { key: keys[2] as string, state: 'submitted', platformId: 'PV-3', receipt: BATCH },
      { key: keys[3] as string, state: 'accepted', platformId: 'PV-4', receipt: LONG },
    ]);
    written = await ledger.getDeliveries(keys);
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  it('reads each delivery with the receipt it was given', () => {
    expect(written.map((d) => d.receipt)).toEqual([BATCH, BATCH, BATCH, LONG, null]);
  });

  it("keeps a batch's receipt once, named by each of its rows, and a long one in its row", async () => {
    const shared: { receipt_id: unknown; receipt: string }[] = await raw('delivery_receipts').select();
    expect(shared.map((r) => r.receipt)).toEqual([JSON.stringify(BATCH)]);
    const id = Number(shared[0]?.receipt_id);
    expect(
      (await rows()).map((r) => [r.receipt, r.receipt_id === null ? null : Number(r.receipt_id)]),
    ).toEqual([
      [null, id],
      [null, id],
      [null, id],
      [JSON.stringify(LONG), null],
      [null, null],
    ]);
  });

  it('keeps the receipt through an answer without one, and takes the next one given', async () => {
    await ledger.recordDeliveryOutcomes([{ key: keys[2] as string, state: 'submitted', platformId: 'PV-3' }]);
    expect((await ledger.getDeliveries([keys[2] as string]))[0]?.receipt).toEqual(BATCH);
    const next = { batchId: 'B-next', duplicate: true };
    await ledger.recordDeliveryOutcomes([{ key: keys[2] as string, state: 'accepted', receipt: next }]);
    expect((await ledger.getDeliveries([keys[2] as string]))[0]?.receipt).toEqual(next);
    // Given back: the long one kept in its row gives way to a shared one, and the reverse.
    await ledger.recordDeliveryOutcomes([{ key: keys[4] as string, state: 'submitted', receipt: LONG }]);
    await ledger.recordDeliveryOutcomes([{ key: keys[4] as string, state: 'accepted', receipt: BATCH }]);
    const [last] = await ledger.getDeliveries([keys[4] as string]);
    expect(last?.receipt).toEqual(BATCH);
    expect((await rows())[4]?.receipt).toBeNull();
    written = await ledger.getDeliveries(keys);
  });

  it('reads a text written into the row, as an older licbridge writes it, over the shared one it names', async () => {
    const [first] = await rows();
    expect(first?.receipt_id).not.toBeNull();
    const older = { batchId: 'B-older-writer', duplicate: false };
    const versionId = (written[0] as StoredDelivery).versionId;
    await raw('deliveries')
      .where({ version_id: versionId })
      .update({ receipt: JSON.stringify(older) });
    expect((await ledger.getDeliveries([keys[0] as string]))[0]?.receipt).toEqual(older);
    // Kept so through down and up (below): the row's own text is the one put back and kept once.
    written = await ledger.getDeliveries(keys);
  });

  it('goes down with every text back in its row, and up again converting them', async () => {
    for (const m of SINCE_036) {
      await m.down(raw);
      await raw('ledger_migrations').where({ name: m.name }).delete();
    }
    const before: { receipt: string | null }[] = await raw('deliveries')
      .select('receipt')
      .orderBy('version_id');
    expect(before.map((r) => (r.receipt === null ? null : JSON.parse(r.receipt)))).toEqual(
      written.map((d) => d.receipt),
    );
    expect(await raw.schema.hasTable('delivery_receipts')).toBe(false);

    // The upgrade: opening the ledger runs them again.
    await ledger.close();
    ledger = await openLedger(database.url, { logger: quietLogger });
    expect(await ledger.getDeliveries(keys)).toEqual(written);
    const shared: { receipt: string }[] = await raw('delivery_receipts').select('receipt');
    expect(shared.map((r) => r.receipt).sort()).toEqual(
      [
        JSON.stringify(BATCH),
        JSON.stringify({ batchId: 'B-next', duplicate: true }),
        JSON.stringify({ batchId: 'B-older-writer', duplicate: false }),
      ].sort(),
    );
    expect((await rows()).map((r) => r.receipt)).toEqual([null, null, null, JSON.stringify(LONG), null]);
  });
});
