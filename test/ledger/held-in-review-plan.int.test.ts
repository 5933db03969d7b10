/**
 * The review counts of a poll (ledger/held-in-review.ts: versions held behind an earlier version
 * in review, in the pipeline backlog and a run's progress) reach the deliveries through indexes:
 * on a ledger of 100,000 accepted deliveries, with a run of 50 second versions behind 50 first
 * versions in review, no statement reads the deliveries whole.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineBacklog } from '../../ledger/backlog.js';
import type { Db } from '../../ledger/db.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runProgress } from '../../ledger/run-progress.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidates, commitOnePage, signature } from './fixtures.js';
import { analyzeOwnTables, largeLedger, planProbe, recordingDb, type Statement } from './plan-harness.js';

const SEED = 500;
const COPIES = 200;
const HELD = 50;
const SEAL = 'seal-h';

for (const backend of BACKENDS) {
  describe(`review counts of a poll on a large ledger (${backend.name})`, () => {
    const pg = backend.name === 'postgres';
    let database: TestDatabase;
    let k: Knex;
    let db: Db;
    const seen: Statement[] = [];
    let probe: ReturnType<typeof planProbe>;
    let pipeline = '';
    const runId = 'run-held';

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
      const ledger = await openLedger(database.url, { logger: quietLogger });
      try {
        const r = await commitOnePage(
          ledger,
          pipeline,
          runId,
          candidates(1, HELD, { pipeline, content: 'b' }),
        );
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

    it('counts the held versions in review', async () => {
      const backlog = await pipelineBacklog(db, pipeline, SEAL, ['province']);
      expect(backlog.undelivered).toEqual({ province: 2 * HELD });
      expect(backlog.inReview).toEqual({ province: 2 * HELD });
      expect((await runProgress(db, runId, SEAL, ['province'])).inReview).toEqual({ province: HELD });
    });

    it('reach the versions and the deliveries through their indexes, from the reviews', async () => {
      // The count of held versions is the last statement of each: the backlog's, and the progress's.
      for (const work of [
        () => pipelineBacklog(db, pipeline, SEAL, ['province']),
        () => runProgress(db, runId, SEAL, ['province']),
      ]) {
        const held = (await probe.plansOf(work)).at(-1);
        const shown = JSON.stringify(held);
        expect(held?.scans.length, shown).toBeGreaterThan(0);
        for (const scan of held?.scans ?? []) {
          if (pg) expect(scan.text, shown).toMatch(/^(Index Scan|Index Only Scan|Bitmap Heap Scan) on /);
          else
            expect(scan.text, shown).toMatch(
              /^SEARCH \w+ USING (INDEX|PRIMARY KEY|COVERING INDEX|INTEGER PRIMARY KEY)/,
            );
          // The reviews and the versions of their licenses, not the 100,000 others.
          expect(scan.read, shown).toBeLessThanOrEqual(2 * HELD);
        }
      }
    });
  });
}
