/**
 * A run's progress counts the versions held behind a review from the reviews open at the target
 * (held-in-review.ts `heldVersionsAt`), not by a walk back from each of the run's open versions: on
 * a ledger of 100,000 accepted deliveries with 50 first versions in review, a run of their 50 second
 * versions and 400 new licenses not yet delivered anywhere is counted by reading the reviews and
 * what they hold, not the 400 others. PostgreSQL: the rows each scan of the count read, counted;
 * SQLite: its plan reads the reviews by `deliveries_open_idx`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../ledger/db.js';
import { runProgress } from '../../ledger/run-progress.js';
import { BACKENDS } from './backends.js';
import { candidates } from './fixtures.js';
import type { planProbe, Statement } from './plan-harness.js';
import { HELD, heldPage, type ReviewedLedger, reviewedLargeLedger, SEAL } from './review-plan-fixture.js';

/**
 * New licenses of the run, open (no delivery yet) and held behind nothing. Fewer than the ids the
 * large ledger leaves free below its copies (plan-harness.ts: ids from 1,001 on are taken).
 */
const OPEN = 400;

for (const backend of BACKENDS) {
  describe(`a run's held count, from the reviews (${backend.name})`, () => {
    const pg = backend.name === 'postgres';
    let ledger: ReviewedLedger;
    let db: Db;
    const seen: Statement[] = [];
    let probe: ReturnType<typeof planProbe>;
    const runId = 'run-held-open';

    beforeAll(async () => {
      ledger = await reviewedLargeLedger(backend);
      const page = [
        ...candidates(1, HELD, { pipeline: ledger.pipeline, content: 'b' }),
        ...candidates(1, OPEN, { pipeline: ledger.pipeline, prefix: 'N' }),
      ];
      ({ db, probe } = await heldPage(backend, ledger, runId, page, seen));
    }, 120_000);

    afterAll(async () => {
      await ledger?.k.destroy();
      await ledger?.database.dispose();
    });

    it('counts the held versions, and only them', async () => {
      expect((await runProgress(db, runId, SEAL, ['province'])).inReview).toEqual({ province: HELD });
    });

    it("reads the reviews and what they hold, not each of the run's open versions", async () => {
      // The held count is the progress's last statement.
      const held = (await probe.plansOf(() => runProgress(db, runId, SEAL, ['province']))).at(-1);
      const shown = JSON.stringify(held);
      expect(held?.scans.length, shown).toBeGreaterThan(0);
      expect(
        held?.scans.some((s) => /deliveries_open_idx/.test(s.text)),
        shown,
      ).toBe(true);
      if (pg) for (const scan of held?.scans ?? []) expect(scan.read, shown).toBeLessThan(OPEN);
    });
  });
}
