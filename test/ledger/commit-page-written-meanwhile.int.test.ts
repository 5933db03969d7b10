/**
 * PostgreSQL: a page that reads its licenses' latest versions before another writer — a reconcile
 * repair revoking a license deleted at source, a lifecycle tick of a pipeline with no checkpoint
 * row (after `source forget`) — commits the next version of one of them. Both lock the license
 * row, not the pipeline's checkpoint, so the page waits for the row and then inserts the version
 * number the other writer has just taken. That failed the page as a duplicate key, an error not to
 * be retried: the extract job failed its run at once and the rest of the source waited for the
 * next run. The page is now refused as a retryable `PageLicenseWrittenMeanwhile`, having written
 * nothing, so the job reads it again from the source (which then says whether the row is gone).
 * SQLite cannot race so: a page's transaction holds the database's write lock before it reads.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { PageLicenseWrittenMeanwhile } from '../../ledger/commit-page.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { until } from '../support/until.js';
import { PG_URL, postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidate, commitOnePage, revokingRepair } from './fixtures.js';

const at = (key: string) => encodeKeyPosition({ cursor: null, key });

describe('a page whose license another writer versions meanwhile (postgres)', () => {
  let database: TestDatabase;
  let pages: Ledger;
  let repairs: Ledger;
  let holder: pg.Client;

  beforeAll(async () => {
    database = await postgresBackend.create();
    pages = await openLedger(database.url, { logger: quietLogger });
    repairs = await openLedger(database.url, { logger: quietLogger });
    holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
  });
  afterAll(async () => {
    await holder?.end();
    await Promise.all([pages?.close(), repairs?.close()]);
    await database?.dispose();
  });

  /**
   * Sessions waiting behind `holder`'s lock, directly or behind one that is (other test files share
   * the database, and may wait for locks of their own).
   */
  const waiting = async (): Promise<number> => {
    const r = await holder.query(
      `with recursive behind(pid) as (
         select pid from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))
         union
         select a.pid from pg_stat_activity a join behind b on b.pid = any(pg_blocking_pids(a.pid))
       ) select count(*)::int as n from behind`,
    );
    return (r.rows[0] as { n: number }).n;
  };

  it('is refused, retryable, writing nothing, and the repair stands', async () => {
    const pipeline = 'meanwhile';
    const first = candidate({ n: 1, pipeline });
    const other = candidate({ n: 2, pipeline });
    await commitOnePage(pages, pipeline, 'run-0', [first, other]);
    await pages.startRun({ runId: 'repair-1', pipeline, mode: 'full' });
    await pages.startRun({ runId: 'run-1', pipeline, mode: 'incremental' });
    const schema = new URL(database.url).searchParams.get('schema') as string;
    await holder.query(`set search_path to "${schema}"`);
    // The license row held, so the repair and then the page queue up behind it in that order: the
    // repair takes it first and commits version 2 while the page has read version 1 as the latest.
    await holder.query('begin');
    await holder.query('select 1 from licenses where license_id = $1 for update', [first.licenseId]);
    const repaired = repairs.appendRepairVersions(revokingRepair(first));
    await until(async () => (await waiting()) === 1, 40_000, { what: 'the repair waiting for the row' });
    const committed = pages
      .commitPage({
        pipeline,
        runId: 'run-1',
        follows: at('run-0'),
        checkpoint: at('run-1'),
        rowsRead: 2,
        candidates: [
          candidate({ n: 1, pipeline, content: 'b' }),
          candidate({ n: 2, pipeline, content: 'b' }),
        ],
        quarantined: [],
      })
      .then(
        (r) => r,
        (e: unknown) => e,
      );
    await until(async () => (await waiting()) === 2, 40_000, { what: 'the page waiting for the row' });
    await holder.query('commit');

    expect(await repaired).toMatchObject([{ licenseId: first.licenseId, version: 2, operation: 'revoke' }]);
    const refused = await committed;
    expect(refused).toBeInstanceOf(PageLicenseWrittenMeanwhile);
    expect((refused as PageLicenseWrittenMeanwhile).retryable).toBe(true);
    // Nothing of the page: the checkpoint, the run's counts and the other license as they were.
    expect(await pages.getCheckpoint(pipeline)).toBe(at('run-0'));
    expect(await pages.getRun('run-1')).toMatchObject({ read: 0, created: 0 });
    const latest = await pages.versionPage({ afterVersionId: 0, limit: 10, pipeline });
    expect(latest.map((v) => [v.licenseId, v.version, v.status])).toEqual([
      [first.licenseId, 1, 'valid'],
      [other.licenseId, 1, 'valid'],
      [first.licenseId, 2, 'revoked'],
    ]);
    // Read again, the page goes on from the versions it now finds.
    const again = await pages.commitPage({
      pipeline,
      runId: 'run-1',
      follows: at('run-0'),
      checkpoint: at('run-1'),
      rowsRead: 1,
      candidates: [candidate({ n: 2, pipeline, content: 'b' })],
      quarantined: [],
    });
    expect(again.created).toMatchObject([{ licenseId: other.licenseId, version: 2 }]);
  });
});
