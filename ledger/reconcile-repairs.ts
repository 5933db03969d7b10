/**
 * What a reconciliation repair writes to the ledger: versions a plan decided (a deletion policy
 * applied, a platform record adopted) and deliveries put back to `pending`, each with its audit
 * entries, in transactions of `REPAIR_PART` each. The reads of a check are in reconcile-store.ts.
 */

import type { LicenseOperation, LicenseStatus } from '../catalog/license.js';
import { type AuditInput, appendAudit } from './audit-chain.js';
import type { RepairVersionsInput } from './audit-types.js';
import { carryAttempts } from './carried-attempts.js';
import { operationFor } from './commit-page.js';
import { contentHashColumns } from './content-hash-column.js';
import { type Db, nowIso, toInt } from './db.js';
import { type DeliveryRef, resolveDeliveryKeys } from './delivery-keys.js';
import { receiptColumn } from './delivery-receipts.js';
import { nextRevision, revisionOf } from './delivery-revision.js';
import { identifierColumn } from './identifier-column.js';
import type { CreatedVersion } from './ledger.js';
import { lineageColumn } from './lineage-column.js';
import { payloadColumn } from './payload-column.js';
import { quarantineRepairLeftovers } from './repair-leftovers.js';
import { closeEndedStoredText, REPAIR_ENDED_BY } from './repair-quarantine.js';
import { contextIds, splitVersion } from './version-context.js';

/**
 * How many versions, or reopened deliveries, a repair writes in one transaction. A plan written in
 * one held SQLite's one connection (and its write lock) for as long as the whole plan took (20,000
 * revocations 12 s, 50,000 past 30 s): the repair's heartbeat and lease renewal waited behind it, its run looked
 * dead for `STALE_MS` (pipelines/run-liveness.ts), and a `licbridge run` beside it ended the live
 * repair's run `abandoned` and could take its pipeline. Between two parts, they are written.
 */
export const REPAIR_PART = 500;

/** `write` for each part of `items` in turn, in its own transaction; the parts' results in order. */
async function inParts<T, R>(items: readonly T[], write: (part: readonly T[]) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let at = 0; at < items.length; at += REPAIR_PART)
    out.push(await write(items.slice(at, at + REPAIR_PART)));
  return out;
}

/**
 * Writes versions decided by reconciliation (a deletion policy applied, a platform record
 * adopted) with their audit entries, in transactions of `REPAIR_PART` versions. A license whose
 * latest version is no longer the one the plan saw is skipped: someone else changed it since, and
 * the next check looks again. Killed between two parts, the versions written stay (the next run
 * signs and delivers them) and the next check plans the rest again.
 */
export async function appendRepairVersions(db: Db, input: RepairVersionsInput): Promise<CreatedVersion[]> {
  const parts = await inParts(input.versions, (versions) => appendRepairPart(db, { ...input, versions }));
  // Licenses the repair could not end: on the quarantine list with why, each record audited, not
  // in a log line only.
  await quarantineRepairLeftovers(db, input);
  return parts.flat();
}

async function appendRepairPart(db: Db, input: RepairVersionsInput): Promise<CreatedVersion[]> {
  return db.write('appendRepairVersions', async (trx) => {
    // SQLite: take the write lock before reading (db.ts). PostgreSQL: lock the licenses read below.
    if (db.dialect === 'sqlite') await trx('audit_head').where({ id: 1 }).update({ id: 1 });
    const now = nowIso();
    const created: CreatedVersion[] = [];
    const audit: AuditInput[] = [];
    for (const v of input.versions) {
      const q = trx('licenses')
        .select('latest_version', 'status', 'pipeline')
        .where({ license_id: v.licenseId });
      const current: { latest_version: unknown; status: LicenseStatus; pipeline: string } | undefined =
        await (db.dialect === 'postgres' ? q.forUpdate().first() : q.first());
      // A repair touches only its own pipeline's licenses; a license to adopt must still be one the
      // ledger does not hold (a run may have issued it since the plan, or another pipeline owns it).
      if (current && (current.pipeline !== input.pipeline || v.adopt)) continue;
      const latest = current ? toInt(current.latest_version) : 0;
      // An adopted license (known only to a platform) continues from the platform's version.
      if (current ? latest !== v.after : v.after !== 0 && !v.adopt) continue;
      const version = (current ? latest : v.after) + 1;
      const operation: LicenseOperation = current
        ? operationFor(current.status, v.status)
        : v.adopt
          ? operationFor('valid', v.status)
          : 'issue';
      const payload = v.build(version);
      // What the version shares with its pipeline's others is named, not repeated, as a run's
      // versions do (ledger/version-context.ts); it reads back the same.
      const texts = splitVersion(
        payloadColumn(payload),
        payload,
        lineageColumn(v.lineage, input.pipeline, input.runId),
      );
      const contextId = texts.context ? (await contextIds(trx, [texts.context]))(texts.context) : null;
      await trx('licenses')
        .insert({
          license_id: v.licenseId,
          pipeline: input.pipeline,
          source_key: v.sourceKey,
          latest_version: version,
          content_hash: v.contentHash,
          status: v.status,
          // No source row stands behind a deletion answered by the policy or an adopted license:
          // '-' keeps it out of the bucket digests, and a row that comes back makes its bucket differ.
          source_fp: '-',
          source_fp_bytes: null,
          source_fp_ctx: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict('license_id')
        .merge([
          'latest_version',
          'content_hash',
          'status',
          'source_fp',
          'source_fp_bytes',
          'source_fp_ctx',
          'updated_at',
        ]);
      const [row]: { version_id: unknown }[] = await trx('license_versions')
        .insert({
          license_id: v.licenseId,
          version,
          pipeline: input.pipeline,
          identifier: identifierColumn(v.licenseId, version, payload.identifier),
          // As its bytes where it is lowercase hex, as a run's versions (content-hash-column.ts).
          ...contentHashColumns(v.contentHash),
          status: v.status,
          operation,
          payload: texts.payload,
          lineage: texts.lineage,
          context_id: contextId,
          run_id: input.runId,
          created_at: now,
        })
        .returning(['version_id']);
      if (!row) throw new Error(`version ${version} of ${v.licenseId} returned no id`);
      created.push({ versionId: toInt(row.version_id), licenseId: v.licenseId, version, operation });
      const detail = { runId: input.runId, pipeline: input.pipeline, reason: v.reason };
      audit.push(
        {
          action: 'repair',
          actor: input.actor,
          licenseId: v.licenseId,
          version,
          digest: v.contentHash,
          detail,
        },
        {
          action: operation,
          actor: input.actor,
          licenseId: v.licenseId,
          version,
          digest: v.contentHash,
          detail,
        },
      );
    }
    await appendAudit(db, trx, audit);
    // A license ended now whose stored text a repair found corrupt before: restored, its record closes.
    const written = new Set(created.map((c) => c.licenseId));
    // Only what was said of the version it ended from (or by a repair): another version's sign or
    // deliver reason stays, its text still corrupt (repair-quarantine.ts closeEndedStoredText).
    const ended = input.versions
      .filter((v) => written.has(v.licenseId))
      .map((v) => ({ sourceKey: v.sourceKey, licenseId: v.licenseId, version: v.after }));
    await closeEndedStoredText(trx, db, input.pipeline, ended, now, REPAIR_ENDED_BY);
    return created;
  });
}

/**
 * Puts deliveries back to `pending` so an ordinary deliver job sends them again (a platform that
 * lost a license, or holds an older state). The key is the same, so the platform stays idempotent.
 * A delivery the platform answered `submitted` is left as it is: the platform is reviewing that
 * key, and shows the license only once its review accepts it.
 * Only a license's latest version is reopened: one a later version replaced since the check
 * (the tick expired it, a run read a change) would put the outdated license back at the
 * platform once sent after its successor; the later version carries the license as it is now,
 * and the next check looks again. A delivery a repair held back as answered a duplicate
 * (reconcile-duplicates.ts) stays as it is until released; one reopened starts afresh, not
 * answered as a duplicate. Each is written only over the row as read (state, `revision`, no
 * hold): what another writer committed since stays, and is not counted. In transactions of
 * `REPAIR_PART` deliveries, as a repair's versions are.
 */
export async function reopenDeliveries(
  db: Db,
  keys: readonly string[],
  actor: string,
  reason: string,
): Promise<number> {
  if (keys.length === 0) return 0;
  const refs = await resolveDeliveryKeys(db, keys);
  const parts = await inParts(refs, (part) => reopenPart(db, part, actor, reason));
  return parts.reduce((a, b) => a + b, 0);
}

/** `reopenDeliveries` for one part of the deliveries, in one transaction. */
async function reopenPart(
  db: Db,
  refs: readonly DeliveryRef[],
  actor: string,
  reason: string,
): Promise<number> {
  return db.write('reopenDeliveries', async (trx) => {
    // SQLite: take the write lock before reading (db.ts). PostgreSQL: lock the licenses read below,
    // so a tick or a page committing the next version waits for this transaction.
    if (db.dialect === 'sqlite') await trx('audit_head').where({ id: 1 }).update({ id: 1 });
    const now = nowIso();
    let reopened = 0;
    const audit: AuditInput[] = [];
    for (const { key, versionId, target } of refs) {
      const [licenseId, version] = splitKey(key);
      const q = trx('licenses')
        .select('latest_version')
        .where({ license_id: licenseId ?? '' });
      const current: { latest_version: unknown } | undefined = await (db.dialect === 'postgres'
        ? q.forUpdate().first()
        : q.first());
      if (current && toInt(current.latest_version) !== version) continue;
      const before:
        | { receipt: string | null; duplicate_repair: string | null; state: string; revision: unknown }
        | undefined = await trx('deliveries as d')
        .select(
          receiptColumn(trx),
          'd.duplicate_repair',
          'd.state',
          trx.raw(`${revisionOf('d')} as revision`),
        )
        .where({ 'd.version_id': versionId, 'd.target': target })
        .first();
      if (!before || before.duplicate_repair) continue;
      // Answered `submitted`: the platform holds the key and reviews it (it lists a license only
      // once accepted). Sent again, the key is answered as a duplicate under review; its deliver
      // job asks for the verdict instead.
      if (before.state === 'submitted') continue;
      // Only over the row as read: on PostgreSQL a deliver job's answer (a `submitted` under
      // review, a dead letter written again after a replay) or another repair's hold may commit
      // between the read and this write, and stays; the next check looks again. (SQLite took
      // its write lock above: nothing comes between.)
      const n = await trx('deliveries')
        .where({ version_id: versionId, target, state: before.state })
        .andWhereRaw(`${revisionOf()} = ?`, [toInt(before.revision)])
        .whereNull('duplicate_repair')
        .update({
          state: 'pending',
          // The round's tries stay counted in /metrics (carried-attempts.ts).
          ...carryAttempts(trx),
          attempts: 0,
          // A new round: open since now, not since the row was written (migration 050).
          opened_at: now,
          // Never back (migration 041): a write decided before the reopening must not match it.
          revision: nextRevision(trx),
          reasons: '[]',
          last_error: null,
          // The next answer's receipt alone: a repair reads it to tell a duplicate (not repaired).
          receipt: null,
          receipt_id: null,
          duplicate_at: null,
          updated_at: now,
        });
      if (toInt(n) === 0) continue;
      reopened += 1;
      // The receipt cleared is the platform's word on the earlier send (its batch, ids only): kept
      // in the entry as stored (JSON text), as the row keeps none once a send again gets no answer.
      const receipt = before.receipt ?? null;
      audit.push({
        action: 'repair',
        actor,
        licenseId,
        version,
        detail: { deliveryKey: key, reason, ...(receipt ? { receipt } : {}) },
      });
    }
    await appendAudit(db, trx, audit);
    return reopened;
  });
}

function splitKey(key: string): [string | null, number | null] {
  const parts = key.split(':');
  const version = Number(parts[1]);
  return [parts[0] ?? null, Number.isSafeInteger(version) ? version : null];
}
