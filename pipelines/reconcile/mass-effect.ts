/**
 * The guard against mass effects of a repair plan (docs/reconciliation.md): what an emptied source
 * table or an export folder read as empty would make a plan do is refused unless a person names
 * its exact count.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Runtime } from '../runtime.js';
import type { RepairAction, RepairPlan } from './repair.js';
import { reconcileSettings } from './settings.js';
import type { ReconcileReport } from './types.js';

/** The actions that change what citizens see at a platform, counted by the mass-effect guard. */
const MASS_ACTIONS = ['revoke', 'cancel', 'adopt-revoke', 're-deliver'] as const;

export interface MassEffect {
  /** Licenses the plan would revoke, cancel or re-deliver. */
  count: number;
  /** The pipeline's licenses in the ledger when the check ran. */
  total: number;
  byAction: Partial<Record<RepairAction, number>>;
  limit: number;
}

/**
 * The guard against mass effects: a plan that would revoke, cancel or re-deliver more than
 * `reconcile.maxRepairShare` of a pipeline's licenses is what an emptied source table, a view
 * broken by maintenance or an export folder read as empty produces — not what a district meant.
 * `unsent` re-deliveries of the plan are not sent when it is applied (held back as answered
 * duplicates, heldReDeliveries, or under the platform's review, awaitedReDeliveries): they change
 * nothing at the platform and are not counted. Returns the figures when the plan is over the
 * share, else null.
 */
export function massEffect(
  rt: Runtime,
  plan: RepairPlan,
  report: ReconcileReport,
  unsent = 0,
): MassEffect | null {
  const { maxRepairShare } = reconcileSettings(rt);
  const byAction: Partial<Record<RepairAction, number>> = {};
  let count = 0;
  // A license only the platforms hold is a difference at each target holding it, and adopted once.
  const adopted = new Set(
    plan.items.filter((i) => i.action === 'adopt-revoke').map((i) => i.difference.licenseId),
  ).size;
  for (const a of MASS_ACTIONS) {
    const n = a === 'adopt-revoke' ? adopted : plan.byAction[a] - (a === 're-deliver' ? unsent : 0);
    if (n <= 0) continue;
    byAction[a] = n;
    count += n;
  }
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
