/**
 * The page chain (ledger/commit-page-chain.ts) refuses a page only when another copy of its run
 * committed since the page was read. A refused copy waits and tries again without spending an
 * attempt, so a single copy refused by mistake would try for ever: these are the single copies it
 * must let through, on both ledger backends — a pipeline's first page, a run resumed after a crash
 * from its own checkpoint; and a run whose checkpoint `source forget` removed while it read, whose
 * next page is refused for good (it put the checkpoint back) rather than as a copy overtaken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { CheckpointMoved, ExtractOvertaken } from '../../ledger/commit-page-chain.js';
import type { CommitPageInput, Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates, uniqueName } from '../ledger/fixtures.js';

const at = (key: number) => encodeKeyPosition({ cursor: null, key: String(key) });

describe.each(BACKENDS)('a single copy of a run on the page chain ($name)', (backend) => {
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

  const page = (pipeline: string, runId: string, n: number, follows: string | null): CommitPageInput => ({
    follows,
    pipeline,
    runId,
    checkpoint: at(n * 10),
    rowsRead: 10,
    candidates: candidates((n - 1) * 10 + 1, 10, { pipeline }),
    quarantined: [],
  });

  it("commits a pipeline's first page, and a resumed run's page after its own checkpoint", async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await ledger.commitPage(page(pipeline, runId, 1, null));
    // A crash; the job's next attempt reads the run's own checkpoint and goes on from it.
    const stored = await ledger.getCheckpoint(pipeline);
    expect(stored).toBe(at(10));
    await ledger.commitPage(page(pipeline, runId, 2, stored));
    expect(await ledger.getRun(runId)).toMatchObject({ read: 20, created: 20, unchanged: 0 });
  });

  it('refuses, for good, the next page of a run whose checkpoint was forgotten while it read', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await ledger.commitPage(page(pipeline, runId, 1, null));
    await ledger.resetCheckpoint(pipeline);
    // The page once inserted its checkpoint again: the forget was silently undone.
    const refused = await ledger.commitPage(page(pipeline, runId, 2, at(10))).catch((e: unknown) => e);
    // Not ExtractOvertaken: a copy refused so waits and tries again, for ever.
    expect(refused).toBeInstanceOf(CheckpointMoved);
    expect(refused).not.toBeInstanceOf(ExtractOvertaken);
    expect((refused as CheckpointMoved).forgotten).toBe(true);
    expect((refused as Error).message).toBe(
      `ledger: commitPage stopped: the checkpoint of pipeline ${pipeline} was forgotten (source forget) since run ${runId} read this page; nothing was written, and the next run reads the source from the start`,
    );
    expect(await ledger.getCheckpoint(pipeline)).toBeNull();
    expect(await ledger.getRun(runId)).toMatchObject({ read: 10, created: 10 });
    // And the run after it, reading from the start, follows no checkpoint.
    const next = uniqueName('run');
    await ledger.startRun({ runId: next, pipeline, mode: 'incremental' });
    await ledger.resetCheckpoint(pipeline);
    const again = await ledger.commitPage(page(pipeline, next, 1, null));
    expect(again.created).toHaveLength(0);
    expect(await ledger.getRun(next)).toMatchObject({ read: 10, unchanged: 10 });
  });
});
