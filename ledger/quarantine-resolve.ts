/**
 * Closing quarantine records no read closes. A record closes by itself when a run reads its key
 * again and the row maps cleanly, or its stored text is restored and signed or sent. Two do not:
 *
 * - `LB_VERSION_LIMIT` (version-limit.ts): a person closes them once they have done what the reason
 *   asks. Its advice (issue the change under a new number, end the license at the platforms by
 *   hand) leaves the row changed, or deleted, so no read closes it, and the records of every run
 *   that read the change (older ones too) stayed open for good, the worklist and `status` naming as
 *   still to fix what a person had settled.
 * - `LB_SOURCE_KEY_MISSING` (connectors/sql/row-keys.ts): the record of a row without a key stands
 *   under a stand-in made from the row's content. Once the department fills the key in, the row is
 *   read under its real key and no row gives the stand-in again, so no read closes it. The light
 *   check closes it when the source's whole key set no longer holds the stand-in
 *   (pipelines/reconcile/stand-ins-gone.ts).
 */
import { appendAudit, operatorActor } from './audit-chain.js';
import { chunk, type Db, nowIso, parseJson, toInt } from './db.js';
import type { QuarantineReason } from './types-versions.js';
import { CODE_VERSION_LIMIT } from './version-limit.js';

/** connectors/sql/row-keys.ts and connectors/xml-files/record-rows.ts: a row without a key. */
export const CODE_KEY_MISSING = 'LB_SOURCE_KEY_MISSING';

export interface ResolvedVersionLimit {
  /** Open records of the key that held an `LB_VERSION_LIMIT` reason: every run's, oldest first. */
  records: number;
  /** Of those, the ones that stay open for reasons of other codes (a stored text still corrupt). */
  keptOpen: number;
  /** The license the key's row became, if any (a key only a platform holds has none). */
  licenseId: string | null;
}

/**
 * Takes the `LB_VERSION_LIMIT` reasons out of every open record of `sourceKey` in `pipeline`,
 * closing a record left with none; reasons of other codes stay, and keep theirs open. One `quarantine-resolve`
 * audit entry by the operator (ids and counts only) when any record changed, in the same transaction.
 */
export async function resolveVersionLimit(
  db: Db,
  input: { pipeline: string; sourceKey: string },
): Promise<ResolvedVersionLimit> {
  return db.write('resolveVersionLimit', async (trx) => {
    // Locked as read on PostgreSQL: a job writing one of them meanwhile (LB_STORED_TEXT added by a
    // sign or deliver job, quarantine-merge.ts) committed a reason the close below then shut away,
    // its fault gone from the worklist unfixed. Now its write is read first, or waits for the
    // close and reopens the record with its reasons. On SQLite this process's writers take turns (db.ts).
    const open = trx('quarantine')
      .select('id', 'reasons')
      .where({ pipeline: input.pipeline, source_key: input.sourceKey })
      .whereNull('resolved_at')
      .where('reasons', 'like', `%${CODE_VERSION_LIMIT}%`)
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
    let records = 0;
    let keptOpen = 0;
    for (const r of rows) {
      const reasons = parseJson<QuarantineReason[]>(r.reasons);
      const rest = reasons.filter((x) => x.code !== CODE_VERSION_LIMIT);
      if (rest.length === reasons.length) continue;
      records++;
      if (rest.length === 0) {
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
    if (records > 0)
      // Audit chain (audit-chain.ts): same transaction, taken last. The key is not written: a
      // source key may be an ID number; the license id and the counts say what was closed.
      await appendAudit(db, trx, [
        {
          action: 'quarantine-resolve',
          actor: operatorActor(),
          licenseId,
          version: null,
          detail: { pipeline: input.pipeline, code: CODE_VERSION_LIMIT, records, keptOpen },
        },
      ]);
    return { records, keptOpen, licenseId };
  });
}

export interface ResolvedStandIns {
  /** Open `LB_SOURCE_KEY_MISSING` records of the keys given, every run's, closed. */
  records: number;
}

/**
 * Closes the open records of `pipeline` under `gone`, stand-in keys of rows without a key that the
 * source's whole key set no longer holds (the light check's finding, read after these records), of
 * those that hold an `LB_SOURCE_KEY_MISSING` reason. The whole record closes: every reason of it
 * was about the row under that stand-in, whose content no row holds any more (a changed row stands
 * under a new stand-in, with a record of its own once a run reads it). One `quarantine-resolve`
 * audit entry by `actor` (ids and counts only, never a key), in the same transaction, when any closed.
 */
export async function resolveStandInsGone(
  db: Db,
  input: { pipeline: string; gone: readonly string[]; actor: string; reportId: string },
): Promise<ResolvedStandIns> {
  if (input.gone.length === 0) return { records: 0 };
  return db.write('resolveStandInsGone', async (trx) => {
    const rows: { id: unknown; reasons: string }[] = [];
    for (const part of chunk([...input.gone], db.maxParams - 2)) {
      // Locked as read on PostgreSQL, as resolveVersionLimit's: a job writing one meanwhile
      // reopens it with its reasons after the close, or its write is read first.
      const open = trx('quarantine')
        .select('id', 'reasons')
        .where({ pipeline: input.pipeline })
        .whereIn('source_key', part)
        .whereNull('resolved_at')
        .orderBy('id');
      rows.push(...(await (db.dialect === 'postgres' ? open.forUpdate() : open)));
    }
    const ids = rows
      .filter((r) => parseJson<QuarantineReason[]>(r.reasons).some((x) => x.code === CODE_KEY_MISSING))
      .map((r) => toInt(r.id));
    if (ids.length === 0) return { records: 0 };
    const now = nowIso();
    for (const part of chunk(ids, db.maxParams - 1))
      await trx('quarantine').whereIn('id', part).whereNull('resolved_at').update({ resolved_at: now });
    // Audit chain (audit-chain.ts): same transaction, taken last. No license: a stand-in has none.
    await appendAudit(db, trx, [
      {
        action: 'quarantine-resolve',
        actor: input.actor,
        licenseId: null,
        version: null,
        detail: {
          pipeline: input.pipeline,
          code: CODE_KEY_MISSING,
          records: ids.length,
          keptOpen: 0,
          reportId: input.reportId,
        },
      },
    ]);
    return { records: ids.length };
  });
}
