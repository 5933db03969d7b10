/**
 * The large ledger the plan tests of the review counts share: SEED licenses copied COPIES times,
 * signed by SEAL (./signed-large-ledger.ts, copied on SQLite), every first version delivered
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
import { analyzeOwnTables, type Plan, planProbe, recordingDb, type Statement } from './plan-harness.js';
import { SEAL, signedLargeLedger } from './signed-large-ledger.js';

export { COPIES, SEAL, SEED } from './signed-large-ledger.js';
export const HELD = 50;

export interface ReviewedLedger {
  database: TestDatabase;
  k: Knex;
  pipeline: string;
}

/** The signed large ledger (./signed-large-ledger.ts), its first versions delivered and HELD of them in review at the province. */
export async function reviewedLargeLedger(backend: Backend): Promise<ReviewedLedger> {
  const { database, k } = await signedLargeLedger(backend);
  const row = (await k('license_versions').first('pipeline')) as { pipeline: string };
  const now = new Date().toISOString();
  // Every first version delivered, but the first HELD seed licenses' still in review.
  await k.raw(
    `insert into deliveries (version_id, target, state, attempts, reasons, created_at, updated_at)
     select v.version_id, 'province',
            case when v.version_id <= ${HELD} then 'submitted' else 'accepted' end, 1, '[]', ?, ?
       from license_versions v`,
    [now, now],
  );
  return { database, k, pipeline: row.pipeline };
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
