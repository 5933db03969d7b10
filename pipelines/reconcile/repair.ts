/**
 * `reconcile --repair`: a plan first, then — on `--yes` — the plan applied through the ordinary
 * queues, so every repair is an idempotent, retried, audited delivery like any other:
 * - `re-read` (missed, content-mismatch): one full extract run of the pipeline; unchanged rows
 *   cost nothing, changed ones become new versions, which are signed and delivered as usual;
 * - `revoke` / `cancel` (deleted-at-source, by policy): a new version with that status, unless the
 *   source holds the row again when the repair is written (source-recheck.ts);
 * - `adopt-revoke` (unknown-at-platform, policy `revoke`): the platform's license taken into the
 *   ledger as the next version, revoked;
 * - `re-deliver` (missing-at-platform; status-drift and platform-content-mismatch where the
 *   platform holds an older version): the latest version's delivery put back to `pending` and
 *   sent again under the same key; a platform that answers it as a duplicate (it accepted that
 *   key, yet shows an older version) was not repaired, and the applied repair names it. Such a
 *   delivery is held back (repair-duplicates.ts): later repairs name it again without sending it,
 *   unless asked to (`resendDuplicates`);
 * - `flag`: reported only (policy `flag`, unmappable rows, platform entries that cannot be read
 *   back, and a platform that holds the latest version yet shows another status or content: the
 *   same key again would be a duplicate there, so those need a person).
 */
import { randomUUID } from 'node:crypto';
import { MAX_VERSION } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { operatorActor } from '../../ledger/audit-chain.js';
import type { RepairVersionInput, UnendedAtVersionLimit } from '../../ledger/audit-types.js';
import type { CreatedVersion } from '../../ledger/ledger.js';
import { ENDED_STATUSES } from '../../ledger/predecessors.js';
import { REPAIR_PART } from '../../ledger/reconcile-repairs.js';
import { REPAIR_RUN } from '../run-liveness.js';
import type { Runtime } from '../runtime.js';
import { missedLicenseIds } from './classify.js';
import { ADOPTED_KEY_PREFIX } from './reconcile.js';
import { nextVersion, storedLicenses } from './repair-version.js';
import { reconcileSettings } from './settings.js';
import { rowsBackAtSource } from './source-recheck.js';

// The guard against mass effects, and the plan's re-deliveries not sent, where commands and tests
// have always found them.
export { assertMassAllowed, type MassEffect, massEffect } from './mass-effect.js';
export { awaitedReDeliveries, heldReDeliveries, reDeliveryKeys } from './re-deliveries.js';

import { awaitsReview, heldReDeliveries, reDeliveryKeys } from './re-deliveries.js';

import type { Difference, ReconcileReport } from './types.js';

export type RepairAction = 're-read' | 'revoke' | 'cancel' | 'adopt-revoke' | 're-deliver' | 'flag';

export interface PlannedRepair {
  action: RepairAction;
  difference: Difference;
  /**
   * `adopt-revoke`: every target holding the license (a difference at each), in the report's
   * order; `difference` is the one at the highest version, which the adoption follows.
   */
  targets?: string[];
}

export interface RepairPlan {
  reportId: string;
  pipeline: string;
  items: PlannedRepair[];
  byAction: Record<RepairAction, number>;
}

export function planRepairs(rt: Runtime, report: ReconcileReport): RepairPlan {
  const settings = reconcileSettings(rt);
  const ofRows = missedLicenseIds(report.all);
  const each: PlannedRepair[] = report.all.map((d) => {
    switch (d.kind) {
      case 'missed':
      case 'content-mismatch':
        return { action: 're-read', difference: d };
      case 'deleted-at-source':
        return {
          action: settings.deletedAtSource === 'flag' ? 'flag' : settings.deletedAtSource,
          difference: d,
        };
      case 'unknown-at-platform':
        // One the ledger holds under a pipeline not in the config is never adopted: the ledger
        // writes no version of another pipeline's license (its guard would skip it unsaid).
        // Nor is the license of a row this check found missed: the ledger lost it (restored from an
        // older copy), the business system holds it, and the re-read issues it again. Adopted, it
        // was revoked at the platform first, a valid license ended for nothing.
        return {
          action:
            settings.unknownAtPlatform === 'revoke' && !d.outsideConfig && !ofRows.has(d.licenseId)
              ? 'adopt-revoke'
              : 'flag',
          difference: d,
        };
      case 'missing-at-platform':
        return { action: 're-deliver', difference: d };
      case 'status-drift':
      case 'platform-content-mismatch':
        // Sent again under the same key, a version the platform already holds is answered as a
        // duplicate and changes nothing there: only a platform behind the ledger is re-delivered.
        return { action: heldAtPlatform(d) ? 'flag' : 're-deliver', difference: d };
      case 'unreadable-at-platform':
        return { action: 'flag', difference: d };
      default:
        return { action: 'flag', difference: d };
    }
  });
  const items = adoptOnce(each);
  const byAction: Record<RepairAction, number> = {
    're-read': 0,
    revoke: 0,
    cancel: 0,
    'adopt-revoke': 0,
    're-deliver': 0,
    flag: 0,
  };
  for (const i of items) byAction[i.action] += 1;
  return { reportId: report.reportId, pipeline: report.pipeline, items, byAction };
}

/**
 * A license only the platforms hold is a difference at each target holding it, and adopted once,
 * after the highest version any of them holds (writeRepairs): one plan line, naming every target.
 * Listed once per target, one license's adoption read as two, and the plan counted two adoptions.
 */
function adoptOnce(items: readonly PlannedRepair[]): PlannedRepair[] {
  const best = new Map<string, PlannedRepair>();
  const targets = new Map<string, string[]>();
  for (const i of items) {
    if (i.action !== 'adopt-revoke') continue;
    const { licenseId, platform, target } = i.difference;
    const b = best.get(licenseId);
    if (!b || (platform?.version ?? 0) > (b.difference.platform?.version ?? 0)) best.set(licenseId, i);
    targets.set(licenseId, [...(targets.get(licenseId) ?? []), target ?? '']);
  }
  return items.flatMap((i) => {
    if (i.action !== 'adopt-revoke') return [i];
    const id = i.difference.licenseId;
    return best.get(id) === i ? [{ ...i, targets: targets.get(id) ?? [] }] : [];
  });
}

/** The platform holds the ledger's latest version (or a later one), however it differs. */
export function heldAtPlatform(d: Difference): boolean {
  return d.platform !== null && d.ledger !== null && d.platform.version >= d.ledger.version;
}

/** What applying a plan put on the queues; the caller works and waits for them (apply-repairs.ts). */
export interface AppliedRepairs {
  runId: string;
  /** A full extract run was started and its job must be enqueued. */
  reRead: boolean;
  /** Version ids to (re-)sign and deliver. */
  versionIds: number[];
  reopened: number;
  flagged: number;
  /** The keys of the deliveries put back to `pending` (`re-deliver`). */
  redeliveredKeys: string[];
  /**
   * Keys the platform answered as duplicates, not repaired (repair-duplicates.ts): those re-delivered
   * now whose answer was a duplicate while the platform still shows an older version, and those
   * in `heldDuplicates`.
   */
  duplicates: string[];
  /**
   * Keys to re-deliver that an earlier repair held back as answered duplicates: not sent again
   * (the same key cannot change what the platform shows), until `resendDuplicates`.
   */
  heldDuplicates: string[];
  /**
   * Keys to re-deliver the platform answered `submitted` and is still reviewing (it lists a license
   * once accepted): not sent again, as the platform would answer the key as a duplicate, nor waited
   * for, as a review may take days; the deliver job that sent each asks for the verdict.
   */
  awaitingPlatform: string[];
  /** License ids the plan would revoke or cancel whose source row was there again: not ended. */
  rowsBack: string[];
  /**
   * License ids the plan would end or adopt that hold version 999 already, the last a GB/T 36904
   * identifier numbers: no version is written for them, the rest of the repair is.
   */
  atVersionLimit: string[];
  /**
   * License ids the plan would revoke or cancel whose version the check saw has no stored license
   * in the ledger (nothing to build the ending from): not ended, named for a person to look at.
   */
  withoutStoredText: string[];
}

export interface WriteRepairsOptions {
  /** Release the deliveries earlier repairs held back as answered duplicates and send them again. */
  resendDuplicates?: boolean;
  /** The repair's run, whose pipeline lease the caller holds. @defaultValue a new `repair-<uuid>` */
  runId?: string;
  /**
   * The process driving the run (`<host> <pid>`), which heartbeats it: killed, its run is judged
   * ownerless and ended `abandoned` as a killed `licbridge run`'s (pipelines/run-liveness.ts).
   */
  owner?: string;
  /**
   * How many of the plan's items are written at a time: the stored licenses of a page's
   * revocations and cancellations are read only as its versions are written, so memory stays at
   * a page whatever the plan's size. @defaultValue REPAIR_PART (500)
   */
  pageSize?: number;
}

/** Writes the ledger side of a plan (new versions, reopened deliveries), each audited as `repair`. */
export async function writeRepairs(
  rt: Runtime,
  plan: RepairPlan,
  options: WriteRepairsOptions = {},
): Promise<AppliedRepairs> {
  const ledger = await rt.ledger();
  const parts = await rt.pipeline(plan.pipeline);
  const actor = operatorActor();
  const runId = options.runId ?? `${REPAIR_RUN}${randomUUID()}`;
  await ledger.startRun({
    runId,
    pipeline: plan.pipeline,
    mode: 'full',
    ...(options.owner ? { owner: options.owner } : {}),
  });

  const latestIds = new Set<number>();
  const reopenKeys = reDeliveryKeys(plan);
  let flagged = 0;

  const unknown = plan.items.filter((i) => i.action === 'adopt-revoke');
  // A license only the platforms hold is at each target in its own version (another system sent
  // it unevenly): adopted once, after the highest, so that its revocation is newer than what every
  // target holds. After a lower one, the target holding the higher refused it or took it for a
  // duplicate, and kept the license valid.
  const adoptFrom = new Map<string, Difference>();
  for (const { difference: d } of unknown) {
    const best = adoptFrom.get(d.licenseId);
    if (d.platform && (!best?.platform || d.platform.version > best.platform.version))
      adoptFrom.set(d.licenseId, d);
  }
  const platformLicenses = new Map<string, License>();
  for (const target of new Set(unknown.map((i) => i.difference.target ?? ''))) {
    const adapter = await rt.target(target);
    const found =
      (await adapter.lookup?.(
        unknown.filter((i) => i.difference.target === target).map((i) => i.difference.licenseId),
      )) ?? [];
    for (const r of found) if (r.license) platformLicenses.set(`${target}\u0000${r.licenseId}`, r.license);
  }

  // The version each re-delivery key sends: one whose every key awaits the platform's review is not queued.
  const versionOfKey = new Map<string, number>();
  // Last, right before the versions are written: a row back at the source keeps its license.
  const back = await rowsBackAtSource(parts, plan.items);
  const rowsBack: string[] = [];
  const atVersionLimit: string[] = [];
  const withoutStoredText: string[] = [];
  const unended: UnendedAtVersionLimit[] = [];
  const origin = { pipeline: plan.pipeline, runId };
  const ending = (action: RepairAction): 'revoked' | 'cancelled' | undefined =>
    action === 'revoke' ? 'revoked' : action === 'cancel' ? 'cancelled' : undefined;
  // The version after the last: its identifier threw, failing the whole repair (ledger/version-limit.ts).
  const full = (version: number, licenseId: string): boolean =>
    version >= MAX_VERSION && atVersionLimit.push(licenseId) > 0;
  const created: CreatedVersion[] = [];
  const pageSize = options.pageSize ?? REPAIR_PART;
  // A page of the plan at a time: its endings' stored licenses read, its versions written, before
  // the next page is read (repair-version.ts). The versions and their audit entries come in the
  // plan's order, as one read of the whole plan wrote them.
  for (let at = 0; at < plan.items.length; at += pageSize) {
    const page = plan.items.slice(at, at + pageSize);
    const stored = await storedLicenses(
      ledger,
      page.flatMap(({ action, difference: d }) =>
        ending(action) && d.ledger && !back.has(d.licenseId) && d.ledger.version < MAX_VERSION
          ? [d.ledger.versionId]
          : [],
      ),
    );
    const versions: RepairVersionInput[] = [];
    for (const { action, difference: d } of page) {
      const status = ending(action);
      if (action === 'flag') flagged += 1;
      else if (action === 're-deliver' && d.ledger && d.target) {
        latestIds.add(d.ledger.versionId);
        versionOfKey.set(`${d.licenseId}:${d.ledger.version}:${d.target}`, d.ledger.versionId);
      } else if (status && back.has(d.licenseId)) {
        rowsBack.push(d.licenseId);
      } else if (status && d.ledger) {
        if (full(d.ledger.version, d.licenseId)) {
          unended.push({ licenseId: d.licenseId, sourceKey: d.sourceKey ?? '', status });
          continue;
        }
        const payload = stored.get(d.ledger.versionId);
        if (!payload) {
          // The ledger gave no stored license for the version the check saw: nothing to build the
          // ending from. Named (AppliedRepairs.withoutStoredText, a warning), never skipped unsaid.
          withoutStoredText.push(d.licenseId);
          continue;
        }
        versions.push(
          nextVersion(
            payload,
            status,
            d.licenseId,
            d.sourceKey ?? '',
            d.ledger.version,
            origin,
            'deleted-at-source',
            false,
          ),
        );
      } else if (action === 'adopt-revoke' && d.platform && adoptFrom.get(d.licenseId) === d) {
        // The target named too: platforms number their records alike (each its own `P-1`), and two
        // licenses under one key were refused by the ledger, failing the whole repair.
        const key = `${ADOPTED_KEY_PREFIX}${d.target}:${d.platform.platformId ?? d.licenseId}`;
        if (full(d.platform.version, d.licenseId)) {
          // Quarantined under the key its adoption would take, as a deletion's is (quarantineUnended).
          const ended = ENDED_STATUSES.has(d.platform.status) ? d.platform.status : 'revoked';
          unended.push({
            licenseId: d.licenseId,
            sourceKey: key,
            status: ended as UnendedAtVersionLimit['status'],
            adoptedAt: d.target ?? '',
          });
          continue;
        }
        const payload = platformLicenses.get(`${d.target}\u0000${d.licenseId}`);
        if (!payload) {
          // The platform's look-up did not give the license back: nothing to build the revocation
          // from, so a person looks at it (counted with the flagged differences), never a silent skip.
          flagged += 1;
          continue;
        }
        versions.push(
          nextVersion(
            payload,
            // Ended there already (cancelled, withdrawn, revoked): adopted with its ending. A repair
            // never turns one ending into another; revoked, a cancelled license was ended anew.
            ENDED_STATUSES.has(payload.status) ? payload.status : 'revoked',
            d.licenseId,
            key,
            d.platform.version,
            origin,
            'unknown-at-platform',
            true,
          ),
        );
      }
    }
    if (versions.length > 0)
      created.push(...(await ledger.appendRepairVersions({ ...origin, actor, versions })));
  }
  // Quarantined after the versions, as one write of the whole plan put them.
  created.push(...(await ledger.appendRepairVersions({ ...origin, actor, versions: [], unended })));
  const reason = `reconcile ${plan.reportId}`;
  if (options.resendDuplicates && reopenKeys.length > 0) {
    await ledger.repairDuplicates.release(reopenKeys, actor, `${reason}: --resend-duplicates`);
  }
  const reopened = await ledger.reopenDeliveries(reopenKeys, actor, reason);
  // Held back by an earlier repair (not reopened): named again, not sent.
  const heldDuplicates = await heldReDeliveries(rt, reopenKeys);
  // The deliveries put back to `pending`, told by the mark the reopening leaves (no attempt, no receipt): a
  // version a newer one replaced is left as it was. Never by a time: a delivery's `updated_at` is
  // written by the clock of whichever process recorded its answer (a worker on another host).
  const states = reopenKeys.length === 0 ? [] : await ledger.getDeliveries(reopenKeys);
  const redeliveredKeys =
    reopened === 0
      ? []
      : states
          .filter((d) => d.state === 'pending' && d.attempts === 0 && d.receipt === null)
          .map((d) => d.key);
  // Left `submitted` by the reopening (reconcile-repairs.ts): under the platform's review.
  const awaitingPlatform = states.filter(awaitsReview).map((d) => d.key);
  if (awaitingPlatform.length > 0) {
    const awaiting = new Set(awaitingPlatform);
    const sentAgain = new Set(
      reopenKeys.filter((k) => !awaiting.has(k)).map((k) => versionOfKey.get(k) as number),
    );
    // A deliver job for it would wait for the review to end, and the repair with it.
    for (const k of awaiting) {
      const v = versionOfKey.get(k);
      if (v !== undefined && !sentAgain.has(v)) latestIds.delete(v);
    }
  }
  return {
    runId,
    reRead: plan.byAction['re-read'] > 0,
    versionIds: [...new Set([...created.map((c) => c.versionId), ...latestIds])].sort((a, b) => a - b),
    reopened,
    flagged,
    redeliveredKeys,
    duplicates: heldDuplicates,
    heldDuplicates,
    awaitingPlatform,
    rowsBack,
    atVersionLimit,
    withoutStoredText,
  };
}
