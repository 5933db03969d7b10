/**
 * The quarantine records a reconcile repair writes for licenses it could not end: at version 999
 * (version-limit.ts `quarantineUnended`) or with a corrupt stored license (`quarantineStoredText`),
 * which the sign and deliver stages write too for a version they could not sign or send
 * (stored-text-quarantine.ts).
 *
 * Recorded once, kept open: a record is per (run, key), and every repair runs its own run, so a
 * license each check plans again (one only a platform holds, at 999 there) got a new record, a
 * `quarantined_count` and a `rows_quarantined_total` more from every repair, though nothing had
 * changed. A key with an open record of the same code in the pipeline is left to that record; for
 * `LB_STORED_TEXT`, one of the same version said by the same stage (another version's text is
 * another thing to fix, and another stage's reason another thing left undone).
 */
import type { Knex } from 'knex';
import type { CorruptStoredText } from './audit-types.js';
import { chunk, type Db, parseJson, toInt } from './db.js';
import { insertQuarantineBound } from './pg-page-quarantine.js';
import { CODE_STORED_TEXT } from './quarantine-merge.js';
import { countQuarantineReasons } from './quarantine-reason-counts.js';
import { type StagedReason, type StoredTextStage, stageOf } from './quarantine-stage.js';
import type { QuarantineCandidate, QuarantineReason } from './types-versions.js';

/** CODE_STORED_TEXT: a license whose stored text does not read or does not match its content hash. */
export { CODE_STORED_TEXT };

/**
 * Of `keys`, the reasons of code `code` in the open quarantine records of `pipeline`, by key (a key
 * may hold records of several runs); `closedToo`: in its closed records as well.
 */
export async function openUnder(
  trx: Knex.Transaction | Knex,
  db: Db,
  pipeline: string,
  code: string,
  keys: readonly string[],
  closedToo = false,
): Promise<Map<string, QuarantineReason[]>> {
  const open = new Map<string, QuarantineReason[]>();
  for (const part of chunk([...new Set(keys)], db.maxParams - 1)) {
    const rows: { source_key: string; reasons: string }[] = await trx('quarantine')
      .select('source_key', 'reasons')
      .where({ pipeline })
      .modify((q) => {
        if (!closedToo) q.whereNull('resolved_at');
      })
      .whereIn('source_key', part);
    for (const r of rows) {
      const of = parseJson<QuarantineReason[]>(r.reasons).filter((x) => x.code === code);
      if (of.length > 0) open.set(r.source_key, [...(open.get(r.source_key) ?? []), ...of]);
    }
  }
  return open;
}

/**
 * What a record is about beside its key and code: how the messages of its reasons begin. '' (the
 * default) makes one record of a code per key; `LB_STORED_TEXT` reasons are about one version each
 * (`storedTextSubject`), as a sign job closes them (closeSignedStoredText).
 */
export type RecordSubject = (record: QuarantineCandidate) => string;

/**
 * Writes `records` (each of one reason code, `code`) in the repair's run, but those an open record
 * of that code, `subject` and `stage` already stands for; counts those written with the run and the
 * metric. Returns the records written. `countWithRun` false: the run's `quarantined_count` is left
 * alone, as it counts rows read (read = created + unchanged + quarantined), and a sign or deliver
 * job's version is no row read. `stage`: the stage an open reason must be of to stand for a record
 * (quarantine-stage.ts; absent, the default: any).
 *
 * Kept once per key and code alone, a stored text found corrupt at version 2 while what was said
 * of version 1 was open was written nowhere, and once version 1 was signed (its reason closed)
 * version 2 was on no list at all. Kept once per version whatever the stage, a repair's "could not
 * end it" was skipped beside a deliver job's reason about the version, and once `dlq discard`
 * closed that one the key left the worklist while the repair still could not end the license.
 *
 * `resolvedStands`: a closed record stands for a record as an open one does, for what only a person
 * closes (`licbridge quarantine resolve`, quarantine-resolve.ts) about a thing that does not change
 * by itself: the lifecycle tick's license at version 999 past its validTo. Kept to open records, the
 * next day's tick met the license as it was and wrote it again — the key back on the worklist, a
 * `quarantine` audit entry and a count more, every day — and a person's resolve held one day.
 */
export async function insertRepairQuarantine(
  trx: Knex.Transaction,
  db: Db,
  run: { pipeline: string; runId: string },
  code: string,
  records: readonly QuarantineCandidate[],
  now: string,
  said: {
    countWithRun?: boolean;
    subject?: RecordSubject;
    stage?: StoredTextStage;
    resolvedStands?: boolean;
  } = {},
): Promise<Set<QuarantineCandidate>> {
  if (records.length === 0) return new Set();
  const subject = said.subject ?? (() => '');
  const stage = said.stage;
  const open = await openUnder(
    trx,
    db,
    run.pipeline,
    code,
    records.map((r) => r.sourceKey),
    said.resolvedStands === true,
  );
  const fresh: QuarantineCandidate[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    const about = subject(r);
    const id = JSON.stringify([r.sourceKey, about]);
    const standsFor = (x: QuarantineReason) =>
      x.message.startsWith(about) && (stage === undefined || stageOf(x) === stage);
    if (seen.has(id) || (open.get(r.sourceKey) ?? []).some(standsFor)) continue;
    seen.add(id);
    fresh.push(r);
  }
  if (fresh.length === 0) return new Set();
  // One row per key: two rows of one (run, key) in one upsert fail on PostgreSQL ("cannot affect
  // row a second time"), as two versions of a license found corrupt by one job would be.
  const byKey = new Map<string, QuarantineReason[]>();
  for (const r of fresh) byKey.set(r.sourceKey, [...(byKey.get(r.sourceKey) ?? []), ...r.reasons]);
  await insertQuarantineBound(
    db,
    trx,
    run,
    [...byKey].map(([key, reasons]) => ({ source_key: key, reasons: JSON.stringify(reasons) })),
    now,
    // Beside the reasons of the run's open record of the key (a page of the same run quarantined
    // the row it read again): one record per (run, key), and replaced they left the worklist.
    'added',
  );
  await countQuarantineReasons(trx, run.pipeline, fresh);
  if (said.countWithRun ?? true)
    await trx('runs').where({ run_id: run.runId }).increment({ quarantined_count: byKey.size });
  return new Set(fresh);
}

/** What a repair could not do with a corrupt stored text, and what restoring it brings. */
const REPAIR_SAID = {
  stage: 'repair',
  consequence:
    'so the reconcile repair could not build its ending from it; it stays as it is in the ledger and at the platforms',
  after: 'once its text is restored, the next repair ends it',
} as const;

/**
 * Quarantines each of `corrupt` under its source key in `run` (`LB_STORED_TEXT`): a repair's, by
 * default, or a sign or deliver job's or the tick's (`stage`, written with the reason), whose
 * `consequence` and `after` say what was left undone and what restoring the text brings. Returns
 * those of `corrupt` written: none for a version an open reason of its key from the same stage speaks of already, one for another
 * version of the license, or the same version met by another stage, beside it: each closes by its
 * own cause (a discard or a send for a deliver job's, the license ended for a repair's or a tick's).
 */
export async function quarantineStoredText(
  trx: Knex.Transaction,
  db: Db,
  run: { pipeline: string; runId: string },
  corrupt: readonly CorruptStoredText[],
  now: string,
  said: { stage: StoredTextStage; consequence: string; after: string; countWithRun?: boolean } = REPAIR_SAID,
): Promise<Set<CorruptStoredText>> {
  const of = new Map<QuarantineCandidate, CorruptStoredText>();
  const records = corrupt.map((c) => {
    const reason: StagedReason = {
      code: CODE_STORED_TEXT,
      message: `${storedTextSubject(c.licenseId, c.version)}${c.problem}, ${said.consequence}. \`licbridge verify --license ${c.licenseId}\` and \`licbridge audit show --license ${c.licenseId}\` show what the ledger holds of it; ${said.after}`,
      stage: said.stage,
    };
    const record: QuarantineCandidate = { sourceKey: c.sourceKey, reasons: [reason] };
    of.set(record, c);
    return record;
  });
  const written = await insertRepairQuarantine(trx, db, run, CODE_STORED_TEXT, records, now, {
    countWithRun: said.countWithRun ?? true,
    stage: said.stage,
    subject: (r) => {
      const c = of.get(r) as CorruptStoredText;
      return storedTextSubject(c.licenseId, c.version);
    },
  });
  return new Set([...written].map((r) => of.get(r) as CorruptStoredText));
}

/** How a stored-text reason's message begins: the version it is about (closeStoredTextReasons). */
export function storedTextSubject(licenseId: string, version: number): string {
  return `ledger: license ${licenseId} version ${version}: `;
}

/** Open records that may hold a stored-text reason: as `JSON.stringify` writes its code. */
export const MAY_HOLD_STORED_TEXT = `%"code":"${CODE_STORED_TEXT}"%`;

/** An open record as read, and which of its `LB_STORED_TEXT` reasons are settled. */
export interface StoredTextRecord {
  reasons: string;
  settled: (reason: QuarantineReason) => boolean;
}

/**
 * Takes out of open records (by id) their `LB_STORED_TEXT` reasons `settled` says were fixed,
 * closing a record left with none; its other reasons, and those about another version (its stored
 * text still corrupt), stay. A record of the stage's run holds one reason per version it met.
 */
export async function closeStoredTextReasons(
  trx: Knex.Transaction,
  db: Db,
  records: ReadonlyMap<number, StoredTextRecord>,
  now: string,
): Promise<void> {
  const ids: number[] = [];
  for (const [id, { reasons: text, settled }] of records) {
    const reasons = parseJson<QuarantineReason[]>(text);
    const rest = reasons.filter((x) => x.code !== CODE_STORED_TEXT || !settled(x));
    if (rest.length === reasons.length) continue;
    if (rest.length === 0) ids.push(id);
    // Only as read: a page of the record's run rewriting it meanwhile (PostgreSQL) keeps its write.
    else
      await trx('quarantine')
        .where({ id, reasons: text })
        .update({ reasons: JSON.stringify(rest) });
  }
  for (const part of chunk(ids, db.maxParams - 1))
    await trx('quarantine').whereIn('id', part).update({ resolved_at: now });
}

/**
 * Whether any quarantine record is open that may hold an `LB_STORED_TEXT` reason: one look into
 * `quarantine_open_stored_text_idx` (migration 064), which holds only those. The condition is the
 * index's own, its pattern a literal: neither database uses a partial index for a query whose
 * conditions do not hold the index's (a bound pattern would read the whole table).
 */
export async function anyOpenStoredText(trx: Knex.Transaction): Promise<boolean> {
  const row: unknown = await trx('quarantine').select('id').whereRaw(OPEN_STORED_TEXT).first();
  return row !== undefined;
}

/** Migration 064's predicate, word for word. */
const OPEN_STORED_TEXT = `resolved_at is null and reasons like '%"code":"${CODE_STORED_TEXT}"%'`;

/**
 * Takes out of the open records of the signed versions' keys the `LB_STORED_TEXT` reasons about
 * those versions (recordSignatures, same transaction), closing a record left with none. A sign job
 * reads the text and checks it against the content hash before it signs, so a signature means the
 * text was restored: kept open, the record named a version signed and delivered as still to fix,
 * for good, as only a repair or a tick ending the license closed it. Reasons about another version
 * of the license (its stored text still corrupt) and a read's reasons stay.
 */
export async function closeSignedStoredText(
  trx: Knex.Transaction,
  db: Db,
  versionIds: readonly number[],
  now: string,
): Promise<void> {
  if (versionIds.length === 0 || !(await anyOpenStoredText(trx))) return;
  const subjects = new Map<number, { reasons: string; signed: Set<string> }>();
  for (const part of chunk([...new Set(versionIds)], db.maxParams - 1)) {
    const rows: { id: unknown; reasons: string; license_id: string; version: unknown }[] = await trx(
      'license_versions as v',
    )
      .join('licenses as l', 'l.license_id', 'v.license_id')
      .join('quarantine as q', function onKey() {
        this.on('q.pipeline', '=', 'l.pipeline').andOn('q.source_key', '=', 'l.source_key');
      })
      .whereIn('v.version_id', part)
      .whereNull('q.resolved_at')
      .where('q.reasons', 'like', MAY_HOLD_STORED_TEXT)
      .select('q.id', 'q.reasons', 'v.license_id', 'v.version');
    for (const r of rows) {
      const entry = subjects.get(toInt(r.id)) ?? { reasons: r.reasons, signed: new Set<string>() };
      entry.signed.add(storedTextSubject(r.license_id, toInt(r.version)));
      subjects.set(toInt(r.id), entry);
    }
  }
  const records = new Map<number, StoredTextRecord>();
  for (const [id, { reasons, signed }] of subjects)
    records.set(id, { reasons, settled: (x) => [...signed].some((s) => x.message.startsWith(s)) });
  await closeStoredTextReasons(trx, db, records, now);
}

/** A license a repair or the lifecycle tick ended: its source key, and the version it ended from. */
export interface EndedFrom {
  sourceKey: string;
  licenseId: string;
  version: number;
}

/**
 * Takes out of the open records of `pipeline` under the keys of `ended` (a repair's or a tick's
 * page, same transaction) the `LB_STORED_TEXT` reasons about the version each was ended from (its
 * text, restored since, read and matched its content hash), and those saying at another version
 * that the same stage (`endedBy`, written with its reasons) could not end it: it now has.
 * No run reads a source row whose content did not change, so nothing else closed them. A sign or
 * deliver job's reason about another version stays: that version's text is still corrupt, and it
 * still unsigned or unsent; closed, the next run's sign job met it again and wrote a fresh record
 * and a second `quarantine` audit entry. A key with no open record costs one read of the
 * quarantine's (pipeline, source_key) index (migration 010).
 */
export async function closeEndedStoredText(
  trx: Knex.Transaction,
  db: Db,
  pipeline: string,
  ended: readonly EndedFrom[],
  now: string,
  endedBy: StoredTextStage,
): Promise<void> {
  const byKey = new Map(ended.map((e) => [e.sourceKey, e]));
  const records = new Map<number, StoredTextRecord>();
  for (const part of chunk([...byKey.keys()], db.maxParams - 2)) {
    const rows: { id: unknown; reasons: string; source_key: string }[] = await trx('quarantine')
      .select('id', 'reasons', 'source_key')
      .where({ pipeline })
      .whereNull('resolved_at')
      .whereIn('source_key', part)
      .where('reasons', 'like', MAY_HOLD_STORED_TEXT);
    for (const r of rows) {
      const e = byKey.get(r.source_key);
      if (!e) continue;
      const read = storedTextSubject(e.licenseId, e.version);
      const ofLicense = `ledger: license ${e.licenseId} version `;
      records.set(toInt(r.id), {
        reasons: r.reasons,
        settled: (x) =>
          x.message.startsWith(read) || (x.message.startsWith(ofLicense) && stageOf(x) === endedBy),
      });
    }
  }
  await closeStoredTextReasons(trx, db, records, now);
}

/** The stage of a repair's `LB_STORED_TEXT` reasons, which a repair ending the license closes (closeEndedStoredText). */
export const REPAIR_ENDED_BY: StoredTextStage = REPAIR_SAID.stage;
