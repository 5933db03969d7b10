/**
 * The page chain on both ledger backends: two copies of one run's extraction commit the page that
 * follows the same checkpoint at the same moment, through two ledger connections. One commits it;
 * the other is refused and writes nothing, so the run counts the page once. A page that follows a
 * checkpoint another run wrote is not refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { CheckpointMoved, ExtractOvertaken } from '../../ledger/commit-page-chain.js';
import type { CommitPageInput, Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates, uniqueName } from '../ledger/fixtures.js';

const at = (key: number) => encodeKeyPosition({ cursor: null, key: String(key) });

describe.each(BACKENDS)('the page chain of a run ($name)', (backend) => {
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

  const page = (pipeline: string, runId: string, n: number, follows: string | null): CommitPageInput => ({
    follows,
    pipeline,
    runId,
    checkpoint: at(n * 100),
    rowsRead: 100,
    candidates: candidates((n - 1) * 100 + 1, 100, { pipeline }),
    quarantined: [],
  });

  it('commits a page two copies commit at once only once', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await a.startRun({ runId, pipeline, mode: 'full' });
    let follows: string | null = null;
    for (let n = 1; n <= 4; n++) {
      const input = page(pipeline, runId, n, follows);
      const outcomes = await Promise.allSettled([a.commitPage(input), b.commitPage(input)]);
      const done = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
      expect(done).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toBeInstanceOf(ExtractOvertaken);
      follows = input.checkpoint;
    }
    expect(await a.getRun(runId)).toMatchObject({ read: 400, created: 400, unchanged: 0 });
    expect(await a.getCheckpoint(pipeline)).toBe(at(400));
  });

  it('refuses a page that follows a checkpoint another run has moved since', async () => {
    const pipeline = uniqueName('p');
    const [first, second] = [uniqueName('run'), uniqueName('run')];
    await a.startRun({ runId: first, pipeline, mode: 'incremental' });
    await a.startRun({ runId: second, pipeline, mode: 'incremental' });
    await a.commitPage(page(pipeline, first, 1, null));
    // The second run started before the first committed: its page follows no checkpoint, and
    // would have taken the pipeline back to its own position.
    const refused = await b.commitPage(page(pipeline, second, 2, null)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CheckpointMoved);
    expect((refused as CheckpointMoved).movedBy).toBe(first);
    expect(await a.getRun(second)).toMatchObject({ read: 0, created: 0 });
    expect(await a.getCheckpoint(pipeline)).toBe(at(100));
    // A page that follows the other run's checkpoint goes on from it.
    const next = await b.commitPage(page(pipeline, second, 2, at(100)));
    expect(next.created).toHaveLength(100);
    expect(await a.getCheckpoint(pipeline)).toBe(at(200));
  });
});
