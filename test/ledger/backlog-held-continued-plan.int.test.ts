/**
 * The pipeline backlog's count of versions held behind a review (ledger/backlog.ts
 * `heldBehindReviewQuery`) finds the renewals waiting on the review of the license they continue
 * through migration 063's index, from the reviews: on a ledger of 100,000 accepted deliveries,
 * one version in 33 naming a predecessor, with 50 renewals behind 50 first versions in review, no
 * statement reads the versions or the deliveries whole, and each version reached is looked up once
 * by the license id and version it is (through migration 057's index by the whole identifier named,
 * it was 36 probes, one per check char the name may end in).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineBacklog } from '../../ledger/backlog.js';
import type { Db } from '../../ledger/db.js';
import type { VersionCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { candidate } from './fixtures.js';
import type { planProbe, Statement } from './plan-harness.js';
import {
  COPIES,
  expectIndexedScans,
  HELD,
  heldPage,
  type ReviewedLedger,
  reviewedLargeLedger,
  SEAL,
} from './review-plan-fixture.js';

for (const backend of BACKENDS) {
  describe(`renewals held behind a review, on a large ledger (${backend.name})`, () => {
    const pg = backend.name === 'postgres';
    let ledger: ReviewedLedger;
    let db: Db;
    const seen: Statement[] = [];
    let probe: ReturnType<typeof planProbe>;

    beforeAll(async () => {
      ledger = await reviewedLargeLedger(backend);
      const { k, pipeline } = ledger;
      // One version in 33 names a predecessor (of no license here), as a ledger of renewals does.
      await k.raw(
        `update license_versions set payload = '{"previousIdentifier":"' || license_id || '.X.001.F",'
           || substr(payload, 2) where version_id % 33 = 0`,
      );
      const inReview = (await k('license_versions')
        .where('version_id', '<=', HELD)
        .orderBy('version_id')
        .select('license_id')) as { license_id: string }[];
      // A renewal of each license in review, under a number of its own.
      const renewals = inReview.map((r, i): VersionCandidate => {
        const plain = candidate({ n: i + 1, pipeline, prefix: 'R' });
        return {
          ...plain,
          operation: 'renew',
          build: (v) => ({ ...plain.build(v), previousIdentifier: `${r.license_id}.001.F` }),
        };
      });
      ({ db, probe } = await heldPage(backend, ledger, 'run-renewals', renewals, seen));
    }, 120_000);

    afterAll(async () => {
      await ledger?.k.destroy();
      await ledger?.database.dispose();
    });

    it('counts the renewals held behind the reviews', async () => {
      const named = await ledger
        .k('license_versions')
        .whereRaw(`payload like '%"previousIdentifier":"%'`)
        .count({
          n: '*',
        });
      expect(Number(named[0]?.n)).toBeGreaterThan(COPIES * 10);
      const backlog = await pipelineBacklog(db, ledger.pipeline, SEAL, ['province']);
      expect(backlog.undelivered).toEqual({ province: 2 * HELD });
      expect(backlog.inReview).toEqual({ province: 2 * HELD });
    });

    it('reach the renewals through the index of what they name, from the reviews', async () => {
      // The count of held versions is the backlog's last statement.
      const held = (await probe.plansOf(() => pipelineBacklog(db, ledger.pipeline, SEAL, ['province']))).at(
        -1,
      );
      const shown = JSON.stringify(held);
      const byNamed = held?.scans.filter((s) => /license_versions_continued_idx/.test(s.text)) ?? [];
      expect(byNamed.length, shown).toBeGreaterThan(0);
      for (const scan of byNamed) {
        // One key, the license id and the version named: no list of identifiers, one per check char.
        if (pg) expect(scan.cond, shown).not.toMatch(/ANY|ARRAY/);
        else expect(scan.text, shown).toMatch(/\(<expr>=\? AND <expr>=\?\)$/);
      }
      // The reviews, the renewals naming them and their versions, not the 100,000 others.
      expectIndexedScans(held, pg, 2 * HELD);
    });
  });
}
