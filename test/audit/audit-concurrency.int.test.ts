import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates, uniqueName } from '../ledger/fixtures.js';

/** Two writers on one PostgreSQL ledger: the head row lock keeps the chain one line. */
describe('audit chain under concurrent writers (PostgreSQL)', () => {
  let db: TestDatabase;
  let a: Ledger;
  let b: Ledger;

  beforeAll(async () => {
    db = await postgresBackend.create();
    a = await openLedger(db.url, { logger: quietLogger });
    b = await openLedger(db.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.dispose();
  });

  it('two ledgers committing pages at once never fork the chain', async () => {
    const work = async (ledger: Ledger, name: string) => {
      const runId = uniqueName('run');
      await ledger.startRun({ runId, pipeline: name, mode: 'full' });
      for (let page = 0; page < 8; page++) {
        await ledger.commitPage({
          pipeline: name,
          runId,
          checkpoint: encodeKeyPosition({ cursor: null, key: String(page) }),
          rowsRead: 20,
          candidates: candidates(page * 20, 20, { pipeline: name, runId }),
          quarantined: [],
        });
      }
    };
    await Promise.all([work(a, uniqueName('p')), work(b, uniqueName('q'))]);
    const result = await a.verifyAudit({ pageSize: 50 });
    // 2 writers × 8 pages × (1 read + 1 entry for the page's 20 new versions).
    expect(result).toMatchObject({ ok: true, entries: 2 * 8 * 2 });
  });
});
