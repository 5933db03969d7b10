/**
 * Receipts made by two writers at once, on PostgreSQL (ledger/delivery-receipts.ts): a writer
 * holding one receipt's new row uncommitted, while the ledger records outcomes naming that receipt
 * and another, goes on to make the other too. The ledger makes its texts in one order, so it waits
 * for the first and the other writer passes: neither is ended as a deadlock, and the ledger's write
 * goes through without a retry (one that made them in the order given took the other first, and
 * PostgreSQL ended the ledger's transaction, which was tried again a second later).
 */
import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';
import { rawKnex } from './raw-knex.js';

// '{"duplicate":false}' comes before '{"duplicate":true}' in any collation.
const FIRST = { duplicate: false };
const SECOND = { duplicate: true };

describe('receipts made by two writers at once (postgres)', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let keys: string[];
  const lines: string[] = [];

  beforeAll(async () => {
    database = await postgresBackend.create();
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    ledger = await openLedger(database.url, { logger: createLogger({ level: 'warn', destination: stream }) });
    raw = rawKnex(database.url);
    const pipeline = uniqueName('receipts');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const result = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: 4,
      candidates: candidates(1, 4, { pipeline, runId }),
      quarantined: [],
    });
    const ids = result.created.map((c) => c.versionId);
    await ledger.recordSignatures(ids.map((id) => signature(id, 'seal-receipts')));
    keys = (await ledger.ensureDeliveries(ids, 'city')).map((d) => d.key);
  });

  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  /** Until the ledger waits for a row the session `pid` holds. */
  async function waitedOnBy(pid: number): Promise<void> {
    for (;;) {
      const res = await raw.raw(
        `select count(*)::int as n from pg_locks w join pg_locks h
            on h.locktype = 'transactionid' and h.transactionid = w.transactionid and h.granted
          where not w.granted and h.pid = ?`,
        [pid],
      );
      if (res.rows[0].n > 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('neither ends the other as a deadlock, and the outcomes carry their receipts', async () => {
    const other = await raw.transaction();
    try {
      const pid = Number((await other.raw('select pg_backend_pid() as pid')).rows[0].pid);
      await other('delivery_receipts').insert({ receipt: JSON.stringify(FIRST) });
      // The second receipt named first, as an answer may list them.
      const recording = ledger.recordDeliveryOutcomes([
        { key: keys[0] as string, state: 'accepted', receipt: SECOND },
        { key: keys[1] as string, state: 'accepted', receipt: FIRST },
      ]);
      await waitedOnBy(pid);
      await other('delivery_receipts').insert({ receipt: JSON.stringify(SECOND) });
      await other.commit();
      await recording;
    } finally {
      if (!other.isCompleted()) await other.rollback();
    }
    expect((await ledger.getDeliveries(keys.slice(0, 2))).map((d) => d.receipt)).toEqual([SECOND, FIRST]);
    expect(lines.filter((l) => l.includes('retrying'))).toEqual([]);
  });

  it('makes all the receipts of one call in one order, a key given twice too', async () => {
    // Two outcomes of one key go in two statements; their receipts, made per statement, were made
    // in the order given (the second text, then the first) whatever the order of their texts.
    const [a, b] = [{ batch: 'a' }, { batch: 'b' }];
    const other = await raw.transaction();
    try {
      const pid = Number((await other.raw('select pg_backend_pid() as pid')).rows[0].pid);
      await other('delivery_receipts').insert({ receipt: JSON.stringify(a) });
      const recording = ledger.recordDeliveryOutcomes([
        { key: keys[2] as string, state: 'submitted', receipt: b },
        { key: keys[2] as string, state: 'accepted', receipt: a },
      ]);
      await waitedOnBy(pid);
      await other('delivery_receipts').insert({ receipt: JSON.stringify(b) });
      await other.commit();
      await recording;
    } finally {
      if (!other.isCompleted()) await other.rollback();
    }
    const [delivery] = await ledger.getDeliveries([keys[2] as string]);
    expect([delivery?.state, delivery?.receipt]).toEqual(['accepted', a]);
    expect(lines.filter((l) => l.includes('retrying'))).toEqual([]);
  });
});
