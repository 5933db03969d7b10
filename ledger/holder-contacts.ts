/**
 * The holders' contacts (migration 015), written with the page that read them: the expiry
 * reminders (ledger/reminders.ts) read them, and nothing else does.
 */
import type { Knex } from 'knex';
import type { HolderContact } from '../catalog/holder-contact.js';
import { chunk, type Db, nowIso, rowChunks } from './db.js';

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
