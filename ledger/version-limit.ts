/**
 * Licenses at the last version an identifier can hold. GB/T 36904 writes the version in 3 digits
 * (catalog/identifier.ts `MAX_VERSION`), so a license's 1000th version has no identifier: a source
 * row that changes every day reaches it in under three years. Building it threw a RangeError in
 * the page's transaction, which failed the whole page, and every run after at that page: the
 * pipeline was stuck for good. The row is quarantined instead (`LB_VERSION_LIMIT`), the license
 * left at its last version, and the rest of the page commits.
 */
import type { Knex } from 'knex';
import { MAX_VERSION } from '../catalog/identifier.js';
import type { AuditInput } from './audit-chain.js';
import type { UnendedAtVersionLimit } from './audit-types.js';
import { chunk, type Db, nowIso, parseJson, toInt } from './db.js';
import { insertRepairQuarantine } from './repair-quarantine.js';
import type { QuarantineCandidate, QuarantineReason } from './types-versions.js';

export const CODE_VERSION_LIMIT = 'LB_VERSION_LIMIT';

/** True when a license whose latest version is `latest` can take another. */
export function takesAnotherVersion(latest: number): boolean {
  return latest < MAX_VERSION;
}

/** The quarantine record of a row whose license holds its last version. Names the license id, no value of the row. */
export function versionLimitRecord(sourceKey: string, licenseId: string): QuarantineCandidate {
  return {
    sourceKey,
    reasons: [
      {
        code: CODE_VERSION_LIMIT,
        message: `ledger: license ${licenseId} holds version ${MAX_VERSION}, the last a GB/T 36904 identifier's 3-digit version can hold; this row's change was not written. Find why the business system changes the row so often, and issue a real change under a new number (a renewal or change continuing it); this record stays open after that, until the row reads again as version ${MAX_VERSION} holds it (the change undone)`,
      },
    ],
  };
}

/**
 * Of licenses at their last version whose rows a page read unchanged, those still `valid` past
 * their `valid_to` on `today`: the tick quarantined each (`quarantineUnexpirable`), and the row
 * mapping as before changes nothing of that. Closed by the page as a key that mapped cleanly, the
 * record left the worklist until the next tick, though the license still could not expire.
 */
export async function stillUnexpirable(
  trx: Knex.Transaction,
  db: Db,
  licenseIds: readonly string[],
  today: string,
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const ids of chunk([...new Set(licenseIds)], db.maxParams - 3)) {
    const rows: { license_id: string }[] = await trx('licenses')
      .select('license_id')
      .whereIn('license_id', ids)
      .where({ status: 'valid' })
      .where('valid_to', '<', today)
      .where('latest_version', '>=', MAX_VERSION);
    for (const r of rows) out.add(r.license_id);
  }
  return out;
}

/**
 * How the tick's reason for `licenseId` begins: what it is about, beside a page's or a repair's
 * record of the key (insertRepairQuarantine).
 */
function unexpirableSubject(licenseId: string): string {
  return `ledger: license ${licenseId} holds version ${MAX_VERSION}, the last a GB/T 36904 identifier's 3-digit version can hold, so its validTo passed and it could not be expired`;
}

/**
 * The lifecycle tick's side: a `valid` license past its `valid_to` that holds its last version
 * cannot take its `expire` version. Left in the tick's page, it failed the page, every tick: no
 * license of the pipeline due after it expired again. The page query leaves such licenses out
 * (lifecycle.ts), and the last page of the day quarantines each under its source key in the
 * tick's run, so the worklist and status show it, audited as `quarantine` (stage `expire`).
 *
 * Once, as a repair's (repair-quarantine.ts): a key whose tick record is open still is. Every day's
 * tick meets the license again; each wrote a new record, added it to its run's `quarantined_count`
 * and to `rows_quarantined_total`, though no row was read and nothing had changed.
 *
 * Returns the audit entries of the records written, for the page to append after its own writes:
 * appended here, the audit head was locked before the page's count rows and versions, against the
 * order every writer takes (lifecycle.ts), and a sign job of the pipeline deadlocked with the page.
 */
export async function quarantineUnexpirable(
  trx: Knex.Transaction,
  db: Db,
  input: { pipeline: string; runId: string; today: string },
  now: string,
): Promise<AuditInput[]> {
  const rows: { license_id: string; source_key: string }[] = await trx('licenses')
    .select('license_id', 'source_key')
    .where({ pipeline: input.pipeline, status: 'valid' })
    .where('valid_to', '<', input.today)
    .where('latest_version', '>=', MAX_VERSION);
  if (rows.length === 0) return [];
  const licenseOf = new Map<QuarantineCandidate, string>();
  const records = rows.map((r) => {
    const record = versionLimitRecord(r.source_key, r.license_id);
    const reason = record.reasons[0] as QuarantineReason;
    reason.message = `${unexpirableSubject(r.license_id)}; it stays valid in the ledger. Issue the license anew under a new number (a renewal or change continuing it)`;
    licenseOf.set(record, r.license_id);
    return record;
  });
  const run = { pipeline: input.pipeline, runId: input.runId };
  // The subject sets it apart from a page's record of the key (a change not written): that one
  // does not say the license is past its validTo and still valid.
  // A record a person resolved stands too: the license stays as it was, and they dealt with it.
  const written = await insertRepairQuarantine(trx, db, run, CODE_VERSION_LIMIT, records, now, {
    subject: (r) => unexpirableSubject(licenseOf.get(r) as string),
    resolvedStands: true,
  });
  return records
    .filter((r) => written.has(r))
    .map((r) => ({
      action: 'quarantine' as const,
      actor: `lifecycle:${input.pipeline}`,
      licenseId: licenseOf.get(r) as string,
      version: MAX_VERSION,
      detail: { ...run, code: CODE_VERSION_LIMIT, stage: 'expire' },
    }));
}

/**
 * A reconcile repair's side: a license whose row was deleted at the source, holding its last
 * version, cannot take its `revoke` (`cancel`) version. The repair leaves it valid; it was named
 * in a log line only, and each check planned its ending again, never saying why. Each is
 * quarantined under its source key in the repair's run, so the worklist and status show it.
 * Likewise a license only a platform holds, at its last version there (`adopt-revoke`): its
 * adoption, the next version, has no identifier; quarantined under the key it would take.
 * Returns the source keys written (none for a key whose record is open already).
 */
export async function quarantineUnended(
  trx: Knex.Transaction,
  db: Db,
  run: { pipeline: string; runId: string },
  unended: readonly UnendedAtVersionLimit[],
  now: string,
): Promise<Set<string>> {
  if (unended.length === 0) return new Set();
  const subjectOf = new Map<QuarantineCandidate, string>();
  const records = unended.map((u) => {
    const record = versionLimitRecord(u.sourceKey, u.licenseId);
    const reason = record.reasons[0] as QuarantineReason;
    const subject = unendedSubject(u);
    reason.message =
      u.adoptedAt === undefined
        ? `${subject} could not be ${u.status} by the reconcile repair; it stays valid in the ledger and at the platforms. End it at the platforms by hand, or issue its successor under a new number`
        : `${subject} there, the last a GB/T 36904 identifier's 3-digit version can hold, so the reconcile repair could not adopt it as ${u.status}; it stays as it is at the platforms and out of the ledger. End it at the platforms by hand`;
    subjectOf.set(record, subject);
    return record;
  });
  // Once: a key whose repair record is open still is (repair-quarantine.ts), however many repairs
  // plan it again. By its subject: an open record of the key about something else (a page's change
  // not written, the tick's license past its validTo) stood for it, and the repair's act and advice
  // (the row is deleted: end the license by hand) were written nowhere.
  const written = await insertRepairQuarantine(trx, db, run, CODE_VERSION_LIMIT, records, now, {
    subject: (r) => subjectOf.get(r) as string,
  });
  return new Set([...written].map((r) => r.sourceKey));
}

/** How a repair's reason for `u` begins: what it is about, beside a page's or the tick's record of the key. */
function unendedSubject(u: UnendedAtVersionLimit): string {
  return u.adoptedAt === undefined
    ? `ledger: license ${u.licenseId} holds version ${MAX_VERSION}, the last a GB/T 36904 identifier's 3-digit version can hold, so its row, deleted at the source,`
    : `ledger: license ${u.licenseId}, held by target ${u.adoptedAt} and unknown to the ledger, holds version ${MAX_VERSION}`;
}

/**
 * Closes the open `LB_VERSION_LIMIT` records of `pipeline` under the keys of licenses only target
 * `target` held, at version 999 there (`platform:<target>:…`, quarantineUnended), but those in `held`:
 * a full check listed the target, and it no longer holds them so (a person ended them there, or it
 * took a version the ledger holds). No source row maps to such a key, so no run closes them as it
 * closes an ordinary key's. Returns how many were closed.
 */
export async function closeAdoptionsAtLimit(
  db: Db,
  pipeline: string,
  target: string,
  held: ReadonlySet<string>,
): Promise<number> {
  const prefix = `platform:${target}:`;
  return db.write('closeAdoptionsAtLimit', async (trx) => {
    const rows: { id: unknown; source_key: string; reasons: string }[] = await trx('quarantine')
      .select('id', 'source_key', 'reasons')
      .where({ pipeline })
      .whereNull('resolved_at')
      .where('reasons', 'like', `%${CODE_VERSION_LIMIT}%`);
    const ids = rows
      .filter(
        (r) =>
          r.source_key.startsWith(prefix) &&
          !held.has(r.source_key) &&
          parseJson<QuarantineReason[]>(r.reasons).some((x) => x.code === CODE_VERSION_LIMIT),
      )
      .map((r) => toInt(r.id));
    const now = nowIso();
    for (const part of chunk(ids, db.maxParams - 1))
      await trx('quarantine').whereIn('id', part).update({ resolved_at: now });
    return ids.length;
  });
}
