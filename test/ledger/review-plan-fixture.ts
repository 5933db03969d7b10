/**
 * The large ledger the plan tests of the review counts share: SEED licenses copied COPIES times
 * (100,000 versions, plan-harness.ts `largeLedger`), signed by SEAL, every first version delivered
 * to the province and those of the first HELD seed licenses still in review there; then a page of
 * versions the test brings, committed and signed, held behind those reviews.
 */
import type { Knex } from 'knex';
import { expect } from 'vitest';
import type { Db } from '../../ledger/db.js';
import type { VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { type Backend, quietLogger, type TestDatabase } from './backends.js';
import { commitOnePage, signature } from './fixtures.js';
import {
  analyzeOwnTables,
  largeLedger,
  type Plan,
  planProbe,
  recordingDb,
  type Statement,
} from './plan-harness.js';
import { type BuiltLedger, snapshotLedger } from './sqlite-snapshot.js';

export const SEED = 500;
export const COPIES = 200;
export const HELD = 50;
export const SEAL = 'seal-h';

export interface ReviewedLedger {
  database: TestDatabase;
  k: Knex;
  pipeline: string;
}

/**
 * The ledger, its first versions delivered and HELD of them in review at the province. On SQLite a
 * copy of the one the first file to ask built (./sqlite-snapshot.ts): the same rows, ~3.8 s of CPU
 * less in each other file.
 */
export async function reviewedLargeLedger(backend: Backend): Promise<ReviewedLedger> {
  const { database, k } = await snapshotLedger(backend, 'reviewed-large', SOURCES, () =>
    buildReviewedLedger(backend),
  );
  const row = (await k('license_versions').first('pipeline')) as { pipeline: string };
  return { database, k, pipeline: row.pipeline };
}

/** The test sources the reviewed ledger's rows follow from. */
const SOURCES = [
  'test/ledger/review-plan-fixture.ts',
  'test/ledger/plan-harness.ts',
  'test/ledger/fixtures.ts',
];

async function buildReviewedLedger(backend: Backend): Promise<BuiltLedger> {
  const { database, k } = await largeLedger(backend, {
    seed: SEED,
    copies: COPIES,
    seeded: async (ledger, ids) => {
      await ledger.recordSignatures(ids.map((id) => signature(id, SEAL)));
    },
    copied: ['signatures'],
  });
  const now = new Date().toISOString();
  // Every first version delivered, but the first HELD seed licenses' still in review.
  await k.raw(
    `insert into deliveries (version_id, target, state, attempts, reasons, created_at, updated_at)
     select v.version_id, 'province',
            case when v.version_id <= ${HELD} then 'submitted' else 'accepted' end, 1, '[]', ?, ?
       from license_versions v`,
    [now, now],
  );
  return { database, k };
}

/**
 * `page` committed as run `runId` and signed by SEAL; then fresh statistics, and a Db recording
 * its statements into `seen` with a probe of their plans.
 */
export async function heldPage(
  backend: Backend,
  ledger: ReviewedLedger,
  runId: string,
  page: VersionCandidate[],
  seen: Statement[],
): Promise<{ db: Db; probe: ReturnType<typeof planProbe> }> {
  const pg = backend.name === 'postgres';
  const opened = await openLedger(ledger.database.url, { logger: quietLogger });
  try {
    const r = await commitOnePage(opened, ledger.pipeline, runId, page);
    await opened.recordSignatures(r.created.map((c) => signature(c.versionId, SEAL)));
  } finally {
    await opened.close();
  }
  await analyzeOwnTables(ledger.k, pg);
  return {
    db: recordingDb(ledger.k, pg ? 'postgres' : 'sqlite', seen),
    probe: planProbe(ledger.k, pg, seen, {
      deliveries: 'version_id|target',
      license_versions: 'version_id|license_id|run_id',
    }),
  };
}

/** Every scan of `plan` goes through an index (a primary key's included) and reads at most `most` rows. */
export function expectIndexedScans(plan: Plan | undefined, pg: boolean, most: number): void {
  const shown = JSON.stringify(plan);
  for (const scan of plan?.scans ?? []) {
    if (pg) expect(scan.text, shown).toMatch(/^(Index Scan|Index Only Scan|Bitmap Heap Scan) on /);
    else
      expect(scan.text, shown).toMatch(
        /^SEARCH \w+ USING (INDEX|PRIMARY KEY|COVERING INDEX|INTEGER PRIMARY KEY)/,
      );
    expect(scan.read, shown).toBeLessThanOrEqual(most);
  }
}
