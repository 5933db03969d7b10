/**
 * A person closing quarantine records no read closes. A record closes by itself when a run reads
 * its key again and the row maps cleanly, or its stored text is restored and signed or sent. The
 * codes of `RESOLVABLE_CODES` do not, and a person closes them (`licbridge quarantine resolve`):
 *
 * - `LB_VERSION_LIMIT` (version-limit.ts), once they have done what the reason asks. Its advice
 *   (issue the change under a new number, end the license at the platforms by hand) leaves the row
 *   changed, or deleted, so no read closes it, and the records of every run that read the change
 *   (older ones too) stayed open for good, the worklist and `status` naming as still to fix what a
 *   person had settled.
 * - `LB_SOURCE_KEY_MISSING` (core/key-missing.ts): the record of a row without a key stands under a
 *   stand-in made from the row's content. Once the department fills the key in, the row is read
 *   under its real key and no row gives the stand-in again, so no read closes it. The light check
 *   counts such stand-ins (pipelines/reconcile/stand-ins-gone.ts) but closes nothing: a stand-in
 *   also leaves the source's key set when the row changes while still keyless, its update time
 *   moves ahead of the database's clock, or a view stops showing it, so only a person who has
 *   looked at the business system can say the key was filled in.
 */
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { CODE_KEY_MISSING } from '../core/key-missing.js';
import { appendAudit, operatorActor } from './audit-chain.js';
import { chunk, type Db, nowIso, parseJson, toInt } from './db.js';
import type { QuarantineReason } from './types-versions.js';
import { CODE_VERSION_LIMIT } from './version-limit.js';

/** The reason codes a person closes; every other leaves the worklist when its fault is fixed. */
export const RESOLVABLE_CODES = [CODE_VERSION_LIMIT, CODE_KEY_MISSING] as const;

/** One of `RESOLVABLE_CODES`. */
export type ResolvableCode = (typeof RESOLVABLE_CODES)[number];

export function isResolvableCode(code: string): code is ResolvableCode {
  return (RESOLVABLE_CODES as readonly string[]).includes(code);
}

export interface ResolvedReason {
  /** Open records of the key that held a reason of the code: every run's, oldest first. */
  records: number;
  /** Of those, the ones that stay open for reasons of other codes (a stored text still corrupt). */
  keptOpen: number;
  /** The license the key's row became, if any (a key only a platform holds has none). */
  licenseId: string | null;
  /**
   * `LB_SOURCE_KEY_MISSING` only, when its records held other codes: how many records of each code
   * closed with it (its records close whole).
   */
  closedWith?: Record<string, number>;
}

/**
 * For `LB_VERSION_LIMIT`: takes its reasons out of every open record of `sourceKey` in `pipeline`,
 * closing a record left with none; reasons of other codes stay, and keep theirs open (an
 * `LB_STORED_TEXT` belongs to the license, and leaves when its text is restored).
 *
 * For `LB_SOURCE_KEY_MISSING`: closes every open record holding it whole. Each reason of such a
 * record is about the row under that stand-in (a value over `maxValueBytes`, a charset or decoding
 * problem the connector found beside the missing key), and once the key is filled in no row gives
 * the stand-in again: no read closes those reasons, and taking out only this one left the record
 * open for good, counted by no check (stand-ins-gone.ts) and refused by the command. The result's
 * and the audit entry's `closedWith` count the records of each other code closed with it.
 *
 * One `quarantine-resolve` audit entry by the operator (ids, codes and counts only) when any record
 * changed, in the same transaction. Checks nothing at the source: for a stand-in key, whether its
 * row still lacks a key is the person's to see in the business system (docs/troubleshooting.md).
 */
export async function resolveReason(
  db: Db,
  input: { pipeline: string; sourceKey: string; code: string },
): Promise<ResolvedReason> {
  const { code } = input;
  // The CLI refuses other codes first; a caller passing one must not close a fault unfixed.
  if (!isResolvableCode(code))
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `quarantine resolve: expected a reason of ${RESOLVABLE_CODES.join(', ')}, got \`${code}\``,
    );
  return db.write('resolveReason', async (trx) => {
    // Locked as read on PostgreSQL: a job writing one of them meanwhile (LB_STORED_TEXT added by a
    // sign or deliver job, quarantine-merge.ts) committed a reason the close below then shut away,
    // its fault gone from the worklist unfixed. Now its write is read first, or waits for the
    // close and reopens the record with its reasons. On SQLite this process's writers take turns (db.ts).
    const open = trx('quarantine')
      .select('id', 'reasons')
      .where({ pipeline: input.pipeline, source_key: input.sourceKey })
      .whereNull('resolved_at')
      .where('reasons', 'like', `%${code}%`)
      .orderBy('id');
    const rows: { id: unknown; reasons: string }[] = await (db.dialect === 'postgres'
      ? open.forUpdate()
      : open);
    const license: { license_id: string } | undefined = await trx('licenses')
      .select('license_id')
      .where({ pipeline: input.pipeline, source_key: input.sourceKey })
      .first();
    const licenseId = license?.license_id ?? null;
    const now = nowIso();
    const closed: number[] = [];
    const closedWith: Record<string, number> = {};
    const whole = code === CODE_KEY_MISSING;
    let records = 0;
    let keptOpen = 0;
    for (const r of rows) {
      const reasons = parseJson<QuarantineReason[]>(r.reasons);
      const rest = reasons.filter((x) => x.code !== code);
      if (rest.length === reasons.length) continue;
      records++;
      if (whole) for (const c of new Set(rest.map((x) => x.code))) closedWith[c] = (closedWith[c] ?? 0) + 1;
      if (whole || rest.length === 0) {
        closed.push(toInt(r.id));
        continue;
      }
      keptOpen++;
      // Only as read: a job writing the record meanwhile (PostgreSQL) keeps its write.
      await trx('quarantine')
        .where({ id: toInt(r.id), reasons: r.reasons })
        .update({ reasons: JSON.stringify(rest) });
    }
    for (const part of chunk(closed, db.maxParams - 1))
      await trx('quarantine').whereIn('id', part).update({ resolved_at: now });
    const other = Object.keys(closedWith).length > 0 ? { closedWith } : {};
    // The audit detail is flat: `CODE:records` for each other code, comma-separated.
    const audited: Record<string, string> =
      other.closedWith === undefined
        ? {}
        : {
            closedWith: Object.entries(other.closedWith)
              .map(([c, n]) => `${c}:${n}`)
              .join(','),
          };
    if (records > 0)
      // Audit chain (audit-chain.ts): same transaction, taken last. The key is not written: a
      // source key may be an ID number; the license id and the counts say what was closed.
      await appendAudit(db, trx, [
        {
          action: 'quarantine-resolve',
          actor: operatorActor(),
          licenseId,
          version: null,
          detail: {
            pipeline: input.pipeline,
            code,
            records,
            keptOpen,
            ...audited,
          },
        },
      ]);
    return { records, keptOpen, licenseId, ...other };
  });
}
