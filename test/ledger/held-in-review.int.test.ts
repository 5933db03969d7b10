/**
 * A license's later version waits at a target until the earlier one is accepted there: behind a
 * predecessor the platform still reviews (`submitted`) it is neither ended nor `submitted` itself,
 * yet it waits on that same review. The backlog and a run's progress count it in `inReview`, so
 * `licbridge run` and `lifecycle run` wait out the review instead of failing with "nothing moved";
 * one behind a dead letter, or one simply not sent yet, is not counted.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger } from './backends.js';
import { candidates, commitOnePage, signature, uniqueName } from './fixtures.js';

const SEAL = 'seal-r';

for (const backend of BACKENDS) {
  describe(`versions held behind a predecessor in review (${backend.name} ledger)`, () => {
    it('count as in review in the backlog and the run progress; one behind a dead letter does not', async () => {
      const db = await backend.create();
      const ledger = await openLedger(db.url, { logger: quietLogger });
      try {
        const pipeline = uniqueName('held');
        const idsOf = (r: Awaited<ReturnType<typeof commitOnePage>>) => r.created.map((c) => c.versionId);
        // Run 1: licenses 1–3 at version 1; 1 and 2 in review at the province, 3 dead-lettered.
        const first = idsOf(
          await commitOnePage(ledger, pipeline, randomUUID(), candidates(1, 3, { pipeline })),
        );
        await ledger.recordSignatures(first.map((id) => signature(id, SEAL)));
        const d1 = await ledger.ensureDeliveries(first, 'province');
        await ledger.recordDeliveryOutcomes([
          { key: d1[0]?.key ?? '', state: 'submitted', platformId: 'P-1' },
          { key: d1[1]?.key ?? '', state: 'submitted', platformId: 'P-2' },
          { key: d1[2]?.key ?? '', state: 'rejected', reasons: ['bad'] },
        ]);
        // Run 2: version 2 of licenses 1–3 and a new license 4, all signed, none sent: 1's version 2
        // has its delivery row (waiting), the others none yet.
        const runId = randomUUID();
        const second = idsOf(
          await commitOnePage(ledger, pipeline, runId, [
            ...candidates(1, 3, { pipeline, content: 'b' }),
            ...candidates(4, 1, { pipeline }),
          ]),
        );
        expect(second).toHaveLength(4);
        await ledger.recordSignatures(second.map((id) => signature(id, SEAL)));
        await ledger.ensureDeliveries(second.slice(0, 1), 'province');

        const backlog = await ledger.pipelineBacklog(pipeline, SEAL, ['province']);
        expect(backlog.undelivered).toEqual({ province: 6 });
        // Two submitted, two held behind them; 3's version 2 waits on a dead letter, 4 on nothing.
        expect(backlog.inReview).toEqual({ province: 4 });
        const progress = await ledger.runProgress(runId, SEAL, ['province']);
        expect(progress.created).toBe(4);
        expect(progress.inReview).toEqual({ province: 2 });

        // The review of license 1 ends accepted: its version 2 no longer waits on a review.
        await ledger.recordDeliveryOutcomes([
          { key: d1[0]?.key ?? '', state: 'accepted', platformId: 'P-1' },
        ]);
        expect((await ledger.pipelineBacklog(pipeline, SEAL, ['province'])).inReview).toEqual({
          province: 2,
        });
        expect((await ledger.runProgress(runId, SEAL, ['province'])).inReview).toEqual({ province: 1 });
      } finally {
        await ledger.close();
        await db.dispose();
      }
    });
  });
}
