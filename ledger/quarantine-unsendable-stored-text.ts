/**
 * What a deliver job said of a version it could not send, its stored text corrupt (`LB_STORED_TEXT`,
 * stored-text-quarantine.ts): that once the text is restored `licbridge dlq replay` sends it. A
 * dead letter discarded (`dlq discard`) is replayed by nothing, nor one a later version of its
 * license accepted at its target supersedes (every replay leaves it dead: older data would follow
 * the newer, pipelines/dead-letters-taken.ts `supersededBy`). Kept open, the record gave that
 * advice for good, and the worklist named as still to fix a version no one will send. It closes
 * once no delivery of the version is left that a replay or a run would send, the one rule of its
 * closing: a discard, a send's answer (its text read whole) and a version accepted take it out by
 * it alike, so an answer at one target leaves it while the version's dead letter at another waits
 * for a replay. A reopened one that a deliver job meets corrupt again is quarantined anew, as the
 * record is closed by then.
 */
import type { Knex } from 'knex';
import { chunk, type Db, toInt } from './db.js';
import { keyedState } from './leases.js';
import { stageOf } from './quarantine-stage.js';
import {
  closeStoredTextReasons,
  MAY_HOLD_STORED_TEXT,
  type StoredTextRecord,
  storedTextSubject,
} from './repair-quarantine.js';

/**
 * A delivery a replay or a run may still send: open (`pending`; `rejected` as an earlier licbridge
 * wrote a refusal) or `dead`, and no later version of its license accepted at its target. Binds
 * nothing; `v` and `d` are the version and its delivery. The states compared as keyedState says,
 * so PostgreSQL reads the license's deliveries by their key, not a target's open ones by state.
 */
function stillToSend(db: Db): string {
  return `${keyedState(db, 'd.state')} in ('pending', 'rejected', 'dead')
  and not exists (select 1 from deliveries d2
                    join license_versions v2 on v2.version_id = d2.version_id
                   where v2.license_id = v.license_id and v2.version > v.version
                     and d2.target = d.target and ${keyedState(db, 'd2.state')} = 'accepted')`;
}

/**
 * Of the licenses of `versionIds` (a discard's dead letters, the versions an answer found submitted
 * or accepted, same transaction), takes out of the open records of their keys the deliver jobs'
 * `LB_STORED_TEXT` reasons about versions with no delivery left to send (see above), closing a
 * record left with none. Most calls find no record: one read of the quarantine's (pipeline, source_key) index per
 * license (migration 010), the deliveries read only for licenses holding such a reason.
 */
export async function closeUnsendableStoredText(
  trx: Knex.Transaction,
  db: Db,
  versionIds: readonly number[],
  now: string,
): Promise<void> {
  const found: { id: number; reasons: string; licenseId: string }[] = [];
  for (const part of chunk([...new Set(versionIds)], db.maxParams - 1)) {
    const rows: { id: unknown; reasons: string; license_id: string }[] = await trx('license_versions as v')
      .join('licenses as l', 'l.license_id', 'v.license_id')
      .join('quarantine as q', function onKey() {
        this.on('q.pipeline', '=', 'l.pipeline').andOn('q.source_key', '=', 'l.source_key');
      })
      .whereIn('v.version_id', part)
      .whereNull('q.resolved_at')
      .where('q.reasons', 'like', MAY_HOLD_STORED_TEXT)
      .distinct('q.id', 'q.reasons', 'l.license_id');
    for (const r of rows) found.push({ id: toInt(r.id), reasons: r.reasons, licenseId: r.license_id });
  }
  if (found.length === 0) return;
  const licenses = [...new Set(found.map((f) => f.licenseId))];
  // Versions of those licenses a replay or a run may still send, as their reasons begin.
  const sendable = new Set<string>();
  for (const part of chunk(licenses, db.maxParams - 1)) {
    const rows: { license_id: string; version: unknown }[] = await trx('license_versions as v')
      .join('deliveries as d', 'd.version_id', 'v.version_id')
      .whereIn('v.license_id', part)
      .whereRaw(stillToSend(db))
      .distinct('v.license_id', 'v.version');
    for (const r of rows) sendable.add(storedTextSubject(r.license_id, toInt(r.version)));
  }
  const records = new Map<number, StoredTextRecord>();
  for (const f of found) {
    const ofLicense = `ledger: license ${f.licenseId} version `;
    records.set(f.id, {
      reasons: f.reasons,
      settled: (x) => {
        // A deliver job's reason (quarantine-stage.ts): a repair's or a sign job's reason about the
        // same version is about another thing left undone, and stays.
        const m = x.message;
        if (!m.startsWith(ofLicense) || stageOf(x) !== 'deliver') return false;
        const colon = m.indexOf(': ', ofLicense.length);
        return colon > 0 && !sendable.has(m.slice(0, colon + 2));
      },
    });
  }
  await closeStoredTextReasons(trx, db, records, now);
}
