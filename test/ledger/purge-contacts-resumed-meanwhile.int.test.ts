/**
 * PostgreSQL: a tick's purge of the contacts of licenses no longer valid (ledger/holder-contacts.ts)
 * while a page resumes one of them. The purge's statement read the license as suspended (its
 * snapshot taken before the page committed), came to the contact the page had just kept or written,
 * waited for the page, and deleted it once the page committed: the license valid again with no
 * contact, its holder sent no expiry reminder until the source changed the contact again. It now
 * holds the licenses it reads as ended until it commits, and passes over one a page is writing,
 * without waiting for it (a page locking two in the other order deadlocked with the purge:
 * purge-contacts-page-lock-order): its contact is kept, and the next purge deletes it if the
 * license is ended still.
 * The interleaving is staged with a lock held on the audit chain's head, which a page takes last:
 * the page has written its license and contact and waits there while the purge starts.
 * SQLite cannot race so: the purge's one statement takes the database's write lock as it starts,
 * and reads what every page before it committed.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HolderContact } from '../../catalog/holder-contact.js';
import type { LicenseStatus } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import type { StoredContact } from '../../ledger/reminder-types.js';
import { until } from '../support/until.js';
import { PG_URL, postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidate } from './fixtures.js';

const PIPELINE = 'resumed';

describe('a purge of contacts while a page writes the license (postgres)', () => {
  let database: TestDatabase;
  let pages: Ledger;
  let purges: Ledger;
  let holder: pg.Client;

  beforeEach(async () => {
    database = await postgresBackend.create();
    pages = await openLedger(database.url, { logger: quietLogger });
    purges = await openLedger(database.url, { logger: quietLogger });
    holder = new pg.Client({ connectionString: PG_URL });
    await holder.connect();
    const schema = new URL(database.url).searchParams.get('schema') as string;
    await holder.query(`set search_path to "${schema}"`);
  });
  afterEach(async () => {
    await holder?.end();
    await Promise.all([pages?.close(), purges?.close()]);
    await database?.dispose();
  });

  /** Sessions waiting behind `holder`'s lock, directly or behind one that is. */
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

  const license = (status: LicenseStatus, contact: HolderContact, content = 'a'): VersionCandidate => ({
    ...candidate({ n: 1, pipeline: PIPELINE, status, content }),
    contact,
  });

  const commit = async (c: VersionCandidate): Promise<void> => {
    const runId = randomUUID();
    await pages.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
    await pages.commitPage({
      pipeline: PIPELINE,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: runId }),
      rowsRead: 1,
      candidates: [c],
      quarantined: [],
    });
  };

  const contactOf = async (licenseId: string): Promise<StoredContact | undefined> =>
    (await purges.reminders.contacts([licenseId])).get(licenseId);

  /**
   * `c` committed as a page, its transaction held at the audit chain's head (its license and
   * contact written, not committed) while a purge starts and goes as far as it can; then both
   * finish. What the purge deleted, and whether it had to wait for the page (for a contact row
   * the page wrote; a license the page wrote it passes over).
   */
  const purgeWhileCommitting = async (c: VersionCandidate): Promise<{ purged: number; waited: boolean }> => {
    await holder.query('begin');
    await holder.query('select 1 from audit_head where id = 1 for update');
    const committing = commit(c);
    await until(async () => (await waiting()) === 1, 40_000, { what: 'the page waiting at the audit head' });
    let purged: number | undefined;
    const purging = purges.reminders.purgeContacts().then((n) => {
      purged = n;
      return n;
    });
    // The purge either waits behind the page, or finishes without it (it read nothing to wait for).
    await until(async () => purged !== undefined || (await waiting()) === 2, 40_000, {
      what: 'the purge waiting for the page, or done',
    });
    const waited = purged === undefined;
    await holder.query('commit');
    await committing;
    return { purged: await purging, waited };
  };

  /**
   * A purge held at the audit chain's head (its contacts deleted, not committed) while `c` is
   * committed as a page and goes as far as it can; then both finish. What the purge deleted.
   */
  const commitWhilePurging = async (c: VersionCandidate): Promise<number> => {
    await holder.query('begin');
    await holder.query('select 1 from audit_head where id = 1 for update');
    const purging = purges.reminders.purgeContacts();
    await until(async () => (await waiting()) === 1, 40_000, { what: 'the purge waiting at the audit head' });
    const committing = commit(c);
    await until(async () => (await waiting()) === 2, 40_000, { what: 'the page waiting for the purge' });
    await holder.query('commit');
    await committing;
    return purging;
  };

  for (const [what, resumed] of [
    ['the same contact', { phone: '13800138000' }],
    ['a new contact', { phone: '13900139000' }],
  ] as const) {
    it(`keeps the contact of a license a page resumes meanwhile, with ${what}`, async () => {
      const suspended = license('suspended', { phone: '13800138000' });
      await commit(suspended);
      expect(await contactOf(suspended.licenseId)).toEqual({ phone: '13800138000' });

      const raced = await purgeWhileCommitting(license('valid', resumed, 'b'));
      // Valid again, its holder is reached for its reminders.
      const [latest] = await pages.versionPage({ afterVersionId: 1, limit: 10, pipeline: PIPELINE });
      expect(latest).toMatchObject({ licenseId: suspended.licenseId, version: 2, status: 'valid' });
      expect(await contactOf(suspended.licenseId)).toEqual(resumed);
      expect(raced).toEqual({ purged: 0, waited: false });
      expect(await purges.reminders.purgeContacts()).toBe(0);
      expect(await contactOf(suspended.licenseId)).toEqual(resumed);
    });
  }

  it('leaves the contact of a license a page writes meanwhile, ended still, to the next purge', async () => {
    const suspended = license('suspended', { phone: '13800138000' });
    await commit(suspended);
    // A new version, revoked: the page writes the license, and the purge passes it over.
    expect(await purgeWhileCommitting(license('revoked', { phone: '13800138000' }, 'b'))).toEqual({
      purged: 0,
      waited: false,
    });
    const [latest] = await pages.versionPage({ afterVersionId: 1, limit: 10, pipeline: PIPELINE });
    expect(latest).toMatchObject({ licenseId: suspended.licenseId, version: 2, status: 'revoked' });
    expect(await contactOf(suspended.licenseId)).toEqual({ phone: '13800138000' });
    expect(await purges.reminders.purgeContacts()).toBe(1);
    expect(await contactOf(suspended.licenseId)).toBeUndefined();
  });

  it('writes anew the contact of a license a page resumes after the purge deleted it', async () => {
    const suspended = license('suspended', { phone: '13800138000' });
    await commit(suspended);
    expect(await commitWhilePurging(license('valid', { phone: '13800138000' }, 'b'))).toBe(1);
    expect(await contactOf(suspended.licenseId)).toEqual({ phone: '13800138000' });
    expect(await purges.reminders.purgeContacts()).toBe(0);
  });

  it('leaves the contact of a license a page suspends meanwhile to the next purge', async () => {
    const valid = license('valid', { phone: '13800138000' });
    await commit(valid);
    expect(await purgeWhileCommitting(license('suspended', { phone: '13800138000' }, 'b'))).toEqual({
      purged: 0,
      waited: false,
    });
    expect(await contactOf(valid.licenseId)).toEqual({ phone: '13800138000' });
    expect(await purges.reminders.purgeContacts()).toBe(1);
    expect(await contactOf(valid.licenseId)).toBeUndefined();
  });

  it('purges the contact a page changes meanwhile of a license still suspended', async () => {
    const suspended = license('suspended', { phone: '13800138000' });
    await commit(suspended);
    // The same content: the page writes no version, only the holder's new contact.
    expect(await purgeWhileCommitting(license('suspended', { phone: '13900139000' }))).toEqual({
      purged: 1,
      waited: true,
    });
    expect(await contactOf(suspended.licenseId)).toBeUndefined();
  });
});
