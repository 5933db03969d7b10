/**
 * The guard against mass effects of a repair plan (docs/reconciliation.md): what an emptied source
 * table or an export folder read as empty would make a plan do is refused unless a person names
 * its exact count.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Runtime } from '../runtime.js';
import { reDeliveryKey } from './re-deliveries.js';
import type { RepairAction, RepairPlan } from './repair.js';
import { reconcileSettings } from './settings.js';
import type { ReconcileReport } from './types.js';

/** The actions that change what citizens see at a platform, counted by the mass-effect guard. */
const MASS_ACTIONS: ReadonlySet<RepairAction> = new Set(['revoke', 'cancel', 'adopt-revoke', 're-deliver']);

export interface MassEffect {
  /** Licenses the plan would revoke, cancel, adopt or re-deliver, each once. */
  count: number;
  /** The pipeline's licenses in the ledger when the check ran. */
  total: number;
  /** Licenses per action (one both revoked and re-delivered is under each). */
  byAction: Partial<Record<RepairAction, number>>;
  limit: number;
}

/**
 * The guard against mass effects: a plan that would revoke, cancel or re-deliver more than
 * `reconcile.maxRepairShare` of a pipeline's licenses is what an emptied source table, a view
 * broken by maintenance or an export folder read as empty produces — not what a district meant.
 * It counts licenses, as the share is of licenses: one re-delivered to two targets is one (counted
 * per target, a license the province and the city both lost was two, and a platform pair that lost
 * everything read as 200 %), and so is one both revoked and re-delivered. `unsent` are the keys
 * of the plan's re-deliveries not sent when it is applied (held back as answered duplicates,
 * heldReDeliveries, or under the platform's review, awaitedReDeliveries): they change nothing at
 * the platform, and a license none of whose re-deliveries is sent is not counted for them.
 * Returns the figures when the plan is over the share, else null.
 */
export function massEffect(
  rt: Runtime,
  plan: RepairPlan,
  report: ReconcileReport,
  unsent: ReadonlySet<string> = new Set(),
): MassEffect | null {
  const { maxRepairShare } = reconcileSettings(rt);
  const licenses = new Map<RepairAction, Set<string>>();
  for (const { action, difference: d } of plan.items) {
    if (!MASS_ACTIONS.has(action)) continue;
    if (action === 're-deliver') {
      // Only what writeRepairs sends: the latest version at a target, its key not held back.
      const key = reDeliveryKey(d);
      if (key === undefined || unsent.has(key)) continue;
    }
    const ids = licenses.get(action) ?? new Set<string>();
    ids.add(d.licenseId);
    licenses.set(action, ids);
  }
  const byAction: Partial<Record<RepairAction, number>> = {};
  const touched = new Set<string>();
  for (const action of MASS_ACTIONS) {
    const ids = licenses.get(action);
    if (!ids) continue;
    byAction[action] = ids.size;
    for (const id of ids) touched.add(id);
  }
  const count = touched.size;
  const total = report.counts.ledger.total;
  const limit = Math.floor(total * maxRepairShare);
  return count > limit ? { count, total, byAction, limit } : null;
}

/**
 * What the guard says of an `--allow-mass` that is not the plan's count. A larger one is most often
 * the count of an earlier plan of which a repair wrote a part before it failed or was stopped: the
 * message says so and which number to give. It is not taken for the smaller plan all the same: a
 * count left in a script would then let through any plan up to it, what the guard exists to stop.
 */
function toldCount(allowed: number, count: number): string {
  if (allowed < count) return ` (--allow-mass ${allowed} does not match: this plan counts ${count})`;
  return ` (--allow-mass ${allowed} does not match: this plan counts ${count}, fewer — an earlier repair that failed or was stopped part-way wrote part of the plan that count was read from, or the source or a platform changed since; the guard takes only the count of the plan it shows, so read this plan above before giving ${count})`;
}

/** Throws unless `allowed` names exactly the plan's mass-effect count (the person has read the number). */
export function assertMassAllowed(
  effect: MassEffect | null,
  allowed: number | undefined,
  pipeline: string,
): void {
  if (!effect || allowed === effect.count) return;
  const what = Object.entries(effect.byAction)
    .map(([a, n]) => `${a} ${n}`)
    .join(', ');
  const share = effect.total === 0 ? 100 : Math.round((effect.count / effect.total) * 1000) / 10;
  const told = allowed === undefined ? '' : toldCount(allowed, effect.count);
  throw new LicbridgeError(
    ErrorCodes.REPAIR_GUARD,
    `reconcile ${pipeline}: repair refused: the plan would ${what} — ${effect.count} of ${effect.total} licenses (${share} %), above \`reconcile.maxRepairShare\` (at most ${effect.limit})${told}. An emptied source table or view, or an export folder read as empty, looks like this: check the source first. Nothing was changed. To apply this plan anyway, run again with --allow-mass ${effect.count}`,
    { context: { pipeline } },
  );
}
