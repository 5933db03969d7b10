/**
 * The holders' contacts (migration 015), written with the page that read them and deleted by each
 * tick once no reminder will need them: the expiry reminders (ledger/reminders.ts) read them, and
 * nothing else does.
 */
import type { Knex } from 'knex';
import type { HolderContact } from '../catalog/holder-contact.js';
import { appendAudit } from './audit-chain.js';
import { chunk, type Db, nowIso, rowChunks } from './db.js';
import { planByKey } from './leases.js';

/** Contacts a PostgreSQL purge statement looks at: a page of the key's index, each license by its key. */
const PURGE_PAGE = 5_000;

/** A candidate's contact as the page commit hands it over: absent when the mapping has no contact rules. */
export interface ContactCandidate {
  licenseId: string;
  contact?: HolderContact | null;
}

/**
 * Inside commitPage's transaction: stores each mapped candidate's contact when it changed, and
 * deletes it when the row no longer gives one. Candidates of mappings without contact rules
 * (`contact` absent) are left alone, so the hot path of such pipelines pays nothing here.
 */
export async function writeHolderContacts(
  db: Db,
  trx: Knex.Transaction,
  pipeline: string,
  candidates: readonly ContactCandidate[],
): Promise<void> {
  const now = nowIso();
  const upserts = new Map<
    string,
    { license_id: string; pipeline: string; contact: string; updated_at: string }
  >();
  const deletes = new Set<string>();
  for (const c of candidates) {
    if (c.contact === undefined) continue;
    // In page order: a license appearing twice in one page keeps its last row's contact.
    if (c.contact === null) {
      upserts.delete(c.licenseId);
      deletes.add(c.licenseId);
    } else {
      deletes.delete(c.licenseId);
      upserts.set(c.licenseId, {
        license_id: c.licenseId,
        pipeline,
        contact: JSON.stringify(c.contact),
        updated_at: now,
      });
    }
  }
  // One statement per chunk, no read first: a contact that did not change is left as it is (the
  // WHERE of the conflict clause), so a replayed or unchanged page writes nothing.
  for (const part of rowChunks(db, [...upserts.values()], 4)) {
    await trx('holder_contacts')
      .insert(part)
      .onConflict('license_id')
      .merge(['contact', 'updated_at'])
      .where('holder_contacts.contact', '<>', trx.ref('excluded.contact'));
  }
  for (const ids of chunk([...deletes], db.maxParams))
    await trx('holder_contacts').whereIn('license_id', ids).del();
}

/**
 * Inside the purge's transaction (ReminderStore.purgeContacts): deletes the contacts of licenses no
 * longer `valid`, and those of the `unread` pipelines, whose mappings read no contact any more.
 * Personal data deleted is an act: one `purge-contacts` entry of the audit chain, counted only (no
 * contact, no license); a purge that deletes nothing is none.
 */
export async function purgeHolderContacts(
  db: Db,
  trx: Knex.Transaction,
  unread: readonly string[],
): Promise<number> {
  let purged = await purgeEnded(db, trx);
  for (const pipelines of chunk([...new Set(unread)], db.maxParams))
    purged += await trx('holder_contacts').whereIn('pipeline', pipelines).del();
  if (purged > 0) {
    await appendAudit(db, trx, [
      { action: 'purge-contacts', actor: 'lifecycle:reminders', detail: { contacts: purged } },
    ]);
  }
  return purged;
}

/**
 * The contacts of licenses no longer valid, deleted. From the contacts held (those of valid
 * licenses, and the few ended since the last tick), each license looked up by its key:
 * `license_id in (licenses not valid)` read every license expired, revoked or cancelled in the
 * ledger's years, and on SQLite held the write lock meanwhile (1.1 s a tick at 1,000,000
 * licenses; test/ledger/purge-contacts-plan). PostgreSQL planned the same statement as a hash
 * join reading all of them still (800,100 rows there, 1.4 s, growing with the years towards
 * `ledger.queryTimeoutMs`, past which every purge failed): it reads the contacts a page at a time
 * by their key, and each page's licenses by theirs (41 statements of 0.1 to 0.3 s there;
 * test/lifecycle/purge-contacts-pg-plan).
 */
async function purgeEnded(db: Db, trx: Knex.Transaction): Promise<number> {
  if (db.dialect !== 'postgres') {
    return trx('holder_contacts')
      .whereExists(
        trx('licenses as l')
          .select(trx.raw('1'))
          .whereRaw('?? = ??', ['l.license_id', 'holder_contacts.license_id'])
          .whereNot('l.status', 'valid'),
      )
      .del();
  }
  // Costed by its statistics, a page's few thousand keys looked dearer than a scan of the table.
  await planByKey(db, trx);
  const size = Math.min(PURGE_PAGE, db.maxParams - 1);
  let purged = 0;
  for (let after: string | undefined; ; ) {
    const page = trx('holder_contacts').select('license_id').orderBy('license_id').limit(size);
    if (after !== undefined) page.where('license_id', '>', after);
    const ids = ((await page) as { license_id: string }[]).map((r) => r.license_id);
    // The page's keys named to licenses themselves: named to the contacts only, joined through
    // `exists`, PostgreSQL merge-joined the page with every license, read along their key.
    // Locked `for share` until the purge commits: read committed, the statement's snapshot may
    // predate a page resuming one of them (commitPage writes the license, then its contact). The
    // delete waited for the contact the page kept or wrote and, re-checking only the contact once
    // the page committed, deleted it by the license as first read: valid again and no contact,
    // no reminder sent. A page to come waits for the purge, and writes the contact anew; one a
    // committed page changed is read again as the page left it. One a page is writing is passed
    // over, not waited for (45a4db51 waited): a page locks its licenses in the source's order,
    // this in the key's, and a page writing two in the other order deadlocked with the purge
    // (40P01). Its contact is kept until the next purge, which finds the license ended or not.
    const gone = trx('licenses')
      .select('license_id')
      .whereIn('license_id', ids)
      .whereNot('status', 'valid')
      .forShare()
      .skipLocked();
    if (ids.length > 0) purged += await trx('holder_contacts').whereIn('license_id', gone).del();
    if (ids.length < size) return purged;
    after = ids[ids.length - 1];
  }
}
