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
import type { Runtime } from '../runtime.js';
import { missedLicenseIds } from './classify.js';
import { reconcileSettings } from './settings.js';

// The guard against mass effects, the plan's re-deliveries not sent, and the plan's writing
// (write-repairs.ts), where commands and tests have always found them.
export { assertMassAllowed, type MassEffect, massEffect } from './mass-effect.js';
export { awaitedReDeliveries, heldReDeliveries, reDeliveryKeys } from './re-deliveries.js';
export { type AppliedRepairs, type WriteRepairsOptions, writeRepairs } from './write-repairs.js';

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
        // was revoked at the platform first, a valid license ended for nothing. Nor is that of a row
        // that does not map now (quarantined): its record is still in the business system.
        return {
          action:
            settings.unknownAtPlatform === 'revoke' &&
            !d.outsideConfig &&
            !d.ofQuarantinedRow &&
            !ofRows.has(d.licenseId)
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
