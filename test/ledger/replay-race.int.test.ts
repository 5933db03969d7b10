/**
 * BullMQ is at-least-once: the same page job can run twice at the same moment on two workers.
 * The ledger must still create each version exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { CommitPageInput, Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, uniqueName } from './fixtures.js';

describe.each(BACKENDS)('ledger under a duplicated page job ($name)', (backend) => {
  let database: TestDatabase;
  let a: Ledger;
  let b: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    a = await openLedger(database.url, { logger: quietLogger });
    b = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.dispose();
  });

  it('creates each version once when two ledgers commit the same pages at the same time', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await a.startRun({ runId, pipeline, mode: 'full' });
    const pages: CommitPageInput[] = Array.from({ length: 5 }, (_, p) => ({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: String(p) }),
      rowsRead: 200,
      candidates: candidates(p * 200 + 1, 200, { pipeline }),
      quarantined: [],
    }));
    const results = await Promise.all(pages.flatMap((page) => [a.commitPage(page), b.commitPage(page)]));

    const created = results.flatMap((r) => r.created);
    expect(created).toHaveLength(1000);
    expect(created.every((c) => c.version === 1)).toBe(true);
    expect(results.reduce((n, r) => n + r.unchanged, 0)).toBe(1000);
    expect(await b.runVersionIds(runId)).toHaveLength(1000);
    const run = await a.getRun(runId);
    expect(run).toMatchObject({ read: 2000, created: 1000, unchanged: 1000 });
  });
});
