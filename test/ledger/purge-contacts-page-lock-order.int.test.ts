/**
 * PostgreSQL: a tick's purge of the contacts of licenses no longer valid (ledger/holder-contacts.ts)
 * while a page writes two of those licenses. A page locks the licenses it writes in its rows'
 * order, the source's (commitPage, upsertLicenses), and the purge the licenses it reads as ended in
 * its plan's, by key: a page writing license 2 then license 1 held 2 and waited for 1, which the
 * purge held `for share` while it waited for 2. PostgreSQL broke the cycle (40P01) and the purge
 * was tried again, logged as a retried call — the ledger was never away. The purge now
 * passes over a license a page is writing: its contact stays until the next purge, which finds it
 * ended still and deletes it.
 * The page is played by a transaction of the test's own that locks the two rows as the page's
 * upsert does, license 2 first, then license 1 once the purge has started.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { until } from '../support/until.js';
import { PG_URL, postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidate, commitOnePage } from './fixtures.js';

const PIPELINE = 'lock-order';

describe('a purge of contacts while a page locks two ended licenses in the other order (postgres)', () => {
  let database: TestDatabase;
  let pages: Ledger;
  let purges: Ledger;
  let page: pg.Client;
  const lines: { msg: string; op?: string; error?: string }[] = [];

  beforeEach(async () => {
    lines.length = 0;
    database = await postgresBackend.create();
    pages = await openLedger(database.url, { logger: quietLogger });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    purges = await openLedger(database.url, { logger: createLogger({ level: 'warn', destination: sink }) });
    page = new pg.Client({ connectionString: PG_URL });
    await page.connect();
    const schema = new URL(database.url).searchParams.get('schema') as string;
    await page.query(`set search_path to "${schema}"`);
  });
  afterEach(async () => {
    await page?.end();
    await Promise.all([pages?.close(), purges?.close()]);
    await database?.dispose();
  });

  /** Sessions waiting behind the page's locks. */
  const waiting = async (): Promise<number> => {
    const r = await page.query(
      `select count(*)::int as n from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))`,
    );
    return (r.rows[0] as { n: number }).n;
  };

  const suspended = (n: number): VersionCandidate => ({
    ...candidate({ n, pipeline: PIPELINE, status: 'suspended' }),
    contact: { phone: `1380013800${n}` },
  });

  const lock = (licenseId: string) =>
    page.query('select 1 from licenses where license_id = $1 for update', [licenseId]);

  it('passes over the license the page holds and leaves its contact to the next purge', async () => {
    const [first, second] = [suspended(1), suspended(2)];
    await commitOnePage(pages, PIPELINE, randomUUID(), [first, second]);
    expect((await purges.reminders.contacts([first.licenseId, second.licenseId])).size).toBe(2);

    await page.query('begin');
    await lock(second.licenseId);
    let purged: number | undefined;
    const purging = purges.reminders.purgeContacts().then((n) => {
      purged = n;
      return n;
    });
    await until(async () => purged !== undefined || (await waiting()) === 1, 40_000, {
      what: 'the purge waiting for the page, or done',
    });
    const waited = purged === undefined;
    // The page's next row: a purge holding license 1 while it waits for license 2 closes the cycle.
    const pageError = await lock(first.licenseId).then(
      () => undefined,
      (e: { code?: string }) => e.code,
    );
    await page.query(pageError === undefined ? 'commit' : 'rollback');
    await purging;

    expect(lines.filter((l) => l.msg.endsWith('; retrying'))).toEqual([]);
    expect({ waited, pageError, purged }).toEqual({ waited: false, pageError: undefined, purged: 1 });
    const kept = await purges.reminders.contacts([first.licenseId, second.licenseId]);
    expect([...kept.keys()]).toEqual([second.licenseId]);
    // Ended still: the next purge takes it.
    expect(await purges.reminders.purgeContacts()).toBe(1);
    expect((await purges.reminders.contacts([second.licenseId])).size).toBe(0);
  });
});
