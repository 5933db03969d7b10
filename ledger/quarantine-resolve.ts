/**
 * A person closing what the open quarantine records of a key say of a license at version 999
 * (`LB_VERSION_LIMIT`, version-limit.ts), once they have done what the reason asks. Every other
 * reason leaves the worklist by itself when its fault is fixed: the row maps cleanly, the stored
 * text is restored and signed or sent. This one does not: its advice (issue the change under a new
 * number, end the license at the platforms by hand) leaves the row changed, or deleted, so no read
 * closes it, and the records of every run that read the change (older ones too) stayed open for
 * good, the worklist and `status` naming as still to fix what a person had settled.
 */
import { appendAudit, operatorActor } from './audit-chain.js';
import { chunk, type Db, nowIso, parseJson, toInt } from './db.js';
import type { QuarantineReason } from './types-versions.js';
import { CODE_VERSION_LIMIT } from './version-limit.js';

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
