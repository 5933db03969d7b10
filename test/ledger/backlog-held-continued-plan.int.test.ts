/**
 * The pipeline backlog's count of versions held behind a review (ledger/backlog.ts
 * `heldBehindReviewQuery`) finds the renewals waiting on the review of the license they continue
 * through migration 057's index, from the reviews: on a ledger of 100,000 accepted deliveries,
 * one version in 33 naming a predecessor, with 50 renewals behind 50 first versions in review, no
 * statement reads the versions or the deliveries whole.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineBacklog } from '../../ledger/backlog.js';
import type { Db } from '../../ledger/db.js';
import type { VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, commitOnePage, signature } from './fixtures.js';
import { analyzeOwnTables, largeLedger, planProbe, recordingDb, type Statement } from './plan-harness.js';

const SEED = 500;
const COPIES = 200;
const HELD = 50;
const SEAL = 'seal-h';

for (const backend of BACKENDS) {
  describe(`renewals held behind a review, on a large ledger (${backend.name})`, () => {
    const pg = backend.name === 'postgres';
    let database: TestDatabase;
    let k: Knex;
    let db: Db;
    const seen: Statement[] = [];
    let probe: ReturnType<typeof planProbe>;
    let pipeline = '';

    beforeAll(async () => {
      ({ database, k } = await largeLedger(backend, {
        seed: SEED,
        copies: COPIES,
        seeded: async (ledger, ids) => {
          await ledger.recordSignatures(ids.map((id) => signature(id, SEAL)));
        },
        copied: ['signatures'],
      }));
      const row = (await k('license_versions').first('pipeline')) as { pipeline: string };
      pipeline = row.pipeline;
      const now = new Date().toISOString();
      // Every first version delivered, but the first HELD seed licenses' still in review.
      await k.raw(
        `insert into deliveries (version_id, target, state, attempts, reasons, created_at, updated_at)
         select v.version_id, 'province',
                case when v.version_id <= ${HELD} then 'submitted' else 'accepted' end, 1, '[]', ?, ?
           from license_versions v`,
        [now, now],
      );
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
      const ledger = await openLedger(database.url, { logger: quietLogger });
      try {
        const r = await commitOnePage(ledger, pipeline, 'run-renewals', renewals);
        await ledger.recordSignatures(r.created.map((c) => signature(c.versionId, SEAL)));
      } finally {
        await ledger.close();
      }
      await analyzeOwnTables(k, pg);
      db = recordingDb(k, pg ? 'postgres' : 'sqlite', seen);
      probe = planProbe(k, pg, seen, {
        deliveries: 'version_id|target',
        license_versions: 'version_id|license_id|run_id',
      });
    }, 120_000);

    afterAll(async () => {
      await k?.destroy();
      await database?.dispose();
    });

    it('counts the renewals held behind the reviews', async () => {
      const named = await k('license_versions').whereRaw(`payload like '%"previousIdentifier":"%'`).count({
        n: '*',
      });
      expect(Number(named[0]?.n)).toBeGreaterThan(COPIES * 10);
      const backlog = await pipelineBacklog(db, pipeline, SEAL, ['province']);
      expect(backlog.undelivered).toEqual({ province: 2 * HELD });
      expect(backlog.inReview).toEqual({ province: 2 * HELD });
    });

    it('reach the renewals through the index of what they name, from the reviews', async () => {
      // The count of held versions is the backlog's last statement.
      const held = (await probe.plansOf(() => pipelineBacklog(db, pipeline, SEAL, ['province']))).at(-1);
      const shown = JSON.stringify(held);
      expect(
        held?.scans.some((s) => /license_versions_previous_idx/.test(s.text)),
        shown,
      ).toBe(true);
      for (const scan of held?.scans ?? []) {
        if (pg) expect(scan.text, shown).toMatch(/^(Index Scan|Index Only Scan|Bitmap Heap Scan) on /);
        else
          expect(scan.text, shown).toMatch(
            /^SEARCH \w+ USING (INDEX|PRIMARY KEY|COVERING INDEX|INTEGER PRIMARY KEY)/,
          );
        // The reviews, the renewals naming them and their versions, not the 100,000 others.
        expect(scan.read, shown).toBeLessThanOrEqual(2 * HELD);
      }
    });
  });
}
