/**
 * The ledger side of a repair plan (repair.ts): new versions (endings by the deletion policy,
 * adoptions of licenses only a platform holds) and re-deliveries put back to `pending`, each
 * audited as `repair`, a page of the plan at a time. A license the repair cannot end (at version
 * 999, or its stored license corrupt) is left as it is, named and quarantined; the rest goes on.
 */
import { randomUUID } from 'node:crypto';
import { MAX_VERSION } from '../../catalog/identifier.js';
import type { License } from '../../catalog/license.js';
import { operatorActor } from '../../ledger/audit-chain.js';
import type {
  CorruptStoredText,
  RepairVersionInput,
  UnendedAtVersionLimit,
} from '../../ledger/audit-types.js';
import type { CreatedVersion } from '../../ledger/ledger.js';
import { ENDED_STATUSES } from '../../ledger/predecessors.js';
import { REPAIR_PART } from '../../ledger/reconcile-repairs.js';
import { REPAIR_RUN } from '../run-liveness.js';
import { throwIfStopped } from '../run-stop.js';
import type { Runtime } from '../runtime.js';
import { adoptionKey } from './classify.js';
import { reopenReDeliveries } from './reopen-deliveries.js';
import type { PlannedRepair, RepairAction, RepairPlan } from './repair.js';
import { nextVersion, storedLicenses } from './repair-version.js';
import { rowsBackAtSource } from './source-recheck.js';

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
  /**
   * License ids the plan would adopt whose platform record changed since the check (another
   * version, status or content when the repair asked for it): not adopted, as a license changed in
   * the ledger since the check is not ended; the next check compares them as they stand.
   */
  changedAtPlatform: string[];
  /**
   * Licenses the plan would revoke or cancel whose stored license, at the version the check saw,
   * does not read or does not match its content hash (stored-text.ts): not ended, quarantined
   * `LB_STORED_TEXT` in the repair's run, named by license id, version and what is wrong.
   */
  corruptStoredText: Omit<CorruptStoredText, 'sourceKey'>[];
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
   * revocations and cancellations, the platforms' licenses of its adoptions and its re-deliveries
   * are read only as its versions are written (its deliveries reopened), so memory stays at a page
   * whatever the plan's size. @defaultValue REPAIR_PART (500)
   */
  pageSize?: number;
  /**
   * Aborted (its reason the signal's name), the repair stops at the next chunk of its last read of
   * the source's keys, before it writes anything, or before its next page of versions or of
   * re-deliveries (the pages written stand), and rejects with `RunStopped` (../run-stop.ts).
   */
  stop?: AbortSignal;
  /** The command, as a stopped repair names it. @defaultValue 'reconcile --repair' */
  command?: string;
}

const ending = (action: RepairAction): 'revoked' | 'cancelled' | undefined =>
  action === 'revoke' ? 'revoked' : action === 'cancel' ? 'cancelled' : undefined;

/**
 * The licenses the platforms give back for the page's adoptions, by `<target>\0<license id>`: asked
 * per page, so memory holds a page of them, not every license only a platform holds. One the
 * platform holds otherwise than the check saw it (another version, status or content: another
 * system sent it since) is in `changed` instead: built from what it holds now and numbered after
 * the version the check saw, the adoption took a version the plan never showed, under a number
 * the platform may hold already, and overwrote it there.
 */
async function platformLicenses(
  rt: Runtime,
  page: readonly PlannedRepair[],
): Promise<{ licenses: Map<string, License>; changed: Set<string> }> {
  const licenses = new Map<string, License>();
  const changed = new Set<string>();
  const byTarget = new Map<string, Map<string, NonNullable<PlannedRepair['difference']['platform']>>>();
  for (const { action, difference: d } of page) {
    if (action !== 'adopt-revoke' || !d.platform || d.platform.version >= MAX_VERSION) continue;
    const target = d.target ?? '';
    const seen = byTarget.get(target);
    if (seen) seen.set(d.licenseId, d.platform);
    else byTarget.set(target, new Map([[d.licenseId, d.platform]]));
  }
  for (const [target, seen] of byTarget) {
    const adapter = await rt.target(target);
    for (const r of (await adapter.lookup?.([...seen.keys()])) ?? []) {
      const was = seen.get(r.licenseId);
      if (!r.license || !was) continue;
      const id = `${target}\u0000${r.licenseId}`;
      const same =
        !r.unreadable &&
        r.version === was.version &&
        r.status === was.status &&
        (r.contentHash ?? null) === was.contentHash;
      if (same) licenses.set(id, r.license);
      else changed.add(id);
    }
  }
  return { licenses, changed };
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
  let flagged = 0;
  // Last, right before the versions are written: a row back at the source keeps its license.
  const back = await rowsBackAtSource(parts, plan.items, options.stop).catch((e: unknown) => {
    throwIfStopped(
      options.stop,
      [{ pipeline: plan.pipeline, runId }],
      options.command ?? 'reconcile --repair',
    );
    throw e;
  });
  const rowsBack: string[] = [];
  const atVersionLimit: string[] = [];
  const withoutStoredText: string[] = [];
  const changedAtPlatform: string[] = [];
  const corrupt: CorruptStoredText[] = [];
  const unended: UnendedAtVersionLimit[] = [];
  const origin = { pipeline: plan.pipeline, runId };
  // The version after the last: its identifier threw, failing the whole repair (ledger/version-limit.ts).
  const full = (version: number, licenseId: string): boolean =>
    version >= MAX_VERSION && atVersionLimit.push(licenseId) > 0;
  const created: CreatedVersion[] = [];
  const pageSize = options.pageSize ?? REPAIR_PART;
  // A page of the plan at a time: its endings' stored licenses and its adoptions' platform licenses
  // read, its versions written, before the next page is read (repair-version.ts). The versions and
  // their audit entries come in the plan's order, as one read of the whole plan wrote them.
  for (let at = 0; at < plan.items.length; at += pageSize) {
    // Each page is its own transaction: stopped, the pages written stand and no further one is
    // written (a stop heard only as the jobs were queued let a mass repair write every page first).
    throwIfStopped(options.stop, [origin], options.command ?? 'reconcile --repair');
    const page = plan.items.slice(at, at + pageSize);
    const stored = await storedLicenses(
      ledger,
      page.flatMap(({ action, difference: d }) =>
        ending(action) && d.ledger && !back.has(d.licenseId) && d.ledger.version < MAX_VERSION
          ? [d.ledger.versionId]
          : [],
      ),
    );
    const adopted = await platformLicenses(rt, page);
    const versions: RepairVersionInput[] = [];
    for (const { action, difference: d } of page) {
      const status = ending(action);
      if (action === 'flag') flagged += 1;
      else if (status && back.has(d.licenseId)) {
        rowsBack.push(d.licenseId);
      } else if (status && d.ledger) {
        if (full(d.ledger.version, d.licenseId)) {
          unended.push({ licenseId: d.licenseId, sourceKey: d.sourceKey ?? '', status });
          continue;
        }
        const text = stored.get(d.ledger.versionId);
        if (!text) {
          // The ledger gave no stored license for the version the check saw: nothing to build the
          // ending from. Named (AppliedRepairs.withoutStoredText, a warning), never skipped unsaid.
          withoutStoredText.push(d.licenseId);
          continue;
        }
        if ('problem' in text) {
          // Its text does not read, or reads as another license than the one signed: that license
          // alone is left, and quarantined with what is wrong; the repair goes on.
          const { licenseId, sourceKey } = d;
          corrupt.push({
            licenseId,
            version: d.ledger.version,
            sourceKey: sourceKey ?? '',
            problem: text.problem,
          });
          continue;
        }
        versions.push(
          nextVersion(
            text.license,
            status,
            d.licenseId,
            d.sourceKey ?? '',
            d.ledger.version,
            origin,
            'deleted-at-source',
            false,
          ),
        );
      } else if (action === 'adopt-revoke' && d.platform) {
        // One item per license (planRepairs adopts once, after the highest version any target
        // holds). The target named too: platforms number their records alike (each its own `P-1`),
        // and two licenses under one key were refused by the ledger, failing the whole repair.
        const key = adoptionKey(d);
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
        const id = `${d.target}\u0000${d.licenseId}`;
        if (adopted.changed.has(id)) {
          // Changed at the platform since the check: the next check compares it as it is now.
          changedAtPlatform.push(d.licenseId);
          continue;
        }
        const payload = adopted.licenses.get(id);
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
  created.push(...(await ledger.appendRepairVersions({ ...origin, actor, versions: [], unended, corrupt })));
  const reopened = await reopenReDeliveries(rt, plan, {
    pageSize,
    stop: options.stop,
    run: origin,
    ...(options.command ? { command: options.command } : {}),
    ...(options.resendDuplicates ? { resendDuplicates: true } : {}),
  });
  return {
    runId,
    reRead: plan.byAction['re-read'] > 0,
    versionIds: [...new Set([...created.map((c) => c.versionId), ...reopened.versionIds])].sort(
      (a, b) => a - b,
    ),
    reopened: reopened.reopened,
    flagged,
    redeliveredKeys: reopened.redeliveredKeys,
    duplicates: reopened.heldDuplicates,
    heldDuplicates: reopened.heldDuplicates,
    awaitingPlatform: reopened.awaitingPlatform,
    rowsBack,
    atVersionLimit,
    withoutStoredText,
    changedAtPlatform,
    corruptStoredText: corrupt.map(({ licenseId, version, problem }) => ({ licenseId, version, problem })),
  };
}
