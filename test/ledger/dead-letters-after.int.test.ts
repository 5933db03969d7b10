/**
 * The dead-letter list read a page at a time from a letter on (`after`), as `dlq replay --all`
 * walks it past the letters it leaves dead: the pages together are the whole list, in its order
 * (target, license, version), on each backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { DeadLetter, Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';

describe.each(BACKENDS)('dead letters from a letter on ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('pages through the whole list, each letter once, in its order', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    // Two versions of each license, both dead at each target: a page may end between them.
    const ids: number[] = [];
    for (const content of ['a', 'b']) {
      const { created } = await ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: '5' }),
        rowsRead: 5,
        candidates: candidates(1, 5, { pipeline, content }),
        quarantined: [],
      });
      ids.push(...created.map((c) => c.versionId));
    }
    await ledger.recordSignatures(ids.map((id) => signature(id, 'seal-a')));
    for (const t of ['city', 'province']) {
      const rows = await ledger.ensureDeliveries(ids, t);
      await ledger.recordDeliveryOutcomes(rows.map((d) => ({ key: d.key, state: 'dead' as const })));
    }
    const list = await ledger.listDeadLetters({ pipeline, limit: 100 });
    expect(list.map((d) => d.version).slice(0, 4)).toEqual([1, 2, 1, 2]);
    const whole = list.map((d) => d.key);
    expect(whole).toHaveLength(20);

    const paged: string[] = [];
    let after: DeadLetter | undefined;
    // Bounded: a cursor not followed reads the first page again and again.
    for (let i = 0; i < 20; i++) {
      const page = await ledger.listDeadLetters({ pipeline, limit: 3, ...(after ? { after } : {}) });
      paged.push(...page.map((d) => d.key));
      after = page[page.length - 1];
      if (page.length < 3) break;
    }
    expect(paged).toEqual(whole);
  });
});
