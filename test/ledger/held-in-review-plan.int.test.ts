/**
 * The review counts of a poll (ledger/held-in-review.ts: versions held behind an earlier version
 * in review, in the pipeline backlog and a run's progress) reach the deliveries through indexes:
 * on a ledger of 100,000 accepted deliveries, with a run of 50 second versions behind 50 first
 * versions in review, no statement reads the deliveries whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineBacklog } from '../../ledger/backlog.js';
import type { Db } from '../../ledger/db.js';
import { runProgress } from '../../ledger/run-progress.js';
import { BACKENDS } from './backends.js';
import { candidates } from './fixtures.js';
import type { planProbe, Statement } from './plan-harness.js';
import {
  expectIndexedScans,
  HELD,
  heldPage,
  type ReviewedLedger,
  reviewedLargeLedger,
  SEAL,
} from './review-plan-fixture.js';

for (const backend of BACKENDS) {
  describe(`review counts of a poll on a large ledger (${backend.name})`, () => {
    const pg = backend.name === 'postgres';
    let ledger: ReviewedLedger;
    let db: Db;
    const seen: Statement[] = [];
    let probe: ReturnType<typeof planProbe>;
    const runId = 'run-held';

    beforeAll(async () => {
      ledger = await reviewedLargeLedger(backend);
      const page = candidates(1, HELD, { pipeline: ledger.pipeline, content: 'b' });
      ({ db, probe } = await heldPage(backend, ledger, runId, page, seen));
    }, 120_000);

    afterAll(async () => {
      await ledger?.k.destroy();
      await ledger?.database.dispose();
    });

    it('counts the held versions in review', async () => {
      const backlog = await pipelineBacklog(db, ledger.pipeline, SEAL, ['province']);
      expect(backlog.undelivered).toEqual({ province: 2 * HELD });
      expect(backlog.inReview).toEqual({ province: 2 * HELD });
      expect((await runProgress(db, runId, SEAL, ['province'])).inReview).toEqual({ province: HELD });
    });

    it('reach the versions and the deliveries through their indexes, from the reviews', async () => {
      // The count of held versions is the last statement of each: the backlog's, and the progress's.
      for (const work of [
        () => pipelineBacklog(db, ledger.pipeline, SEAL, ['province']),
        () => runProgress(db, runId, SEAL, ['province']),
      ]) {
        const held = (await probe.plansOf(work)).at(-1);
        expect(held?.scans.length, JSON.stringify(held)).toBeGreaterThan(0);
        // The reviews and the versions of their licenses, not the 100,000 others.
        expectIndexedScans(held, pg, 2 * HELD);
      }
    });
  });
}
