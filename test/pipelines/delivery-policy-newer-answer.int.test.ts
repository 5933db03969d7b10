/**
 * deadLetterOpen against another job's answer: the job giving up reads its open deliveries, then
 * dead-letters them. A job whose lease ran out mid-send leaves the row to another sender, whose
 * answer (`submitted`, under review at the platform) may be recorded between that read and the
 * write: the newer answer wins (docs/sync.md), as it does against a last attempt's dead letters of
 * failed status requests (deliver-poll-failure-newer-answer), and only the rows written are counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deadLetterOpen } from '../../pipelines/delivery-policy.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { meanwhile } from '../support/meanwhile.js';

const PIPELINE = 'dl-newer-answer';

for (const backend of BACKENDS) {
  describe(`deadLetterOpen and a newer answer (${backend.name} ledger)`, () => {
    let db: TestDatabase;
    let ledger: Ledger;
    const commit = signedRuns(() => ledger, PIPELINE, 'seal-dl-newer');

    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
    });
    afterAll(async () => {
      await ledger?.close();
      await db?.dispose();
    });

    /** The ledger, with `then` run once right after `ensureDeliveries` has read its rows. */
    const afterRead = (then: () => Promise<unknown>): Ledger => meanwhile(ledger, 'ensureDeliveries', then);

    it('leaves a delivery another sender got answered after its read, and counts only what it wrote', async () => {
      const ids = await commit(candidates(1, 2, { pipeline: PIPELINE }));
      const [answered, open] = (await ledger.ensureDeliveries(ids, 'province')).map((d) => d.key) as [
        string,
        string,
      ];
      await ledger.recordDeliveryAttempt([answered, open], {
        error: 'target province: timed out after 2000 ms',
        reason: 'timeout',
      });

      const racing = afterRead(() =>
        ledger.recordDeliveryOutcomes([{ key: answered, state: 'submitted', platformId: 'P-1' }]),
      );
      const dead = await deadLetterOpen(racing, ids, 'province', new Error('target province: 503'));

      expect(dead).toBe(1);
      const after = new Map((await ledger.getDeliveries([answered, open])).map((d) => [d.key, d]));
      expect(after.get(answered)).toMatchObject({ state: 'submitted', platformId: 'P-1', lastError: null });
      expect(after.get(open)).toMatchObject({ state: 'dead', reasons: ['target province: 503'] });
      expect((await ledger.listDeadLetters({ keys: [answered, open] })).map((d) => d.key)).toEqual([open]);
    });
  });
}
