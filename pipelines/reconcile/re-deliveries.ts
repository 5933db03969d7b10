/**
 * A repair plan's re-deliveries (`re-deliver`) and those of them a repair names without sending:
 * held back by an earlier repair as answered duplicates (repair-duplicates.ts), or under the
 * platform's review. The command counts them out of the mass-effect guard (mass-effect.ts), and
 * writeRepairs (repair.ts) queues none of them.
 */
import type { Runtime } from '../runtime.js';
import type { RepairPlan } from './repair.js';
import type { Difference } from './types.js';

/** The keys of the deliveries a plan re-delivers: each license's latest version at its target. */
export function reDeliveryKeys(plan: RepairPlan): string[] {
  return plan.items.flatMap(({ action, difference: d }) => {
    const key = action === 're-deliver' ? reDeliveryKey(d) : undefined;
    return key === undefined ? [] : [key];
  });
}

/** The key a `re-deliver` of `d` sends again: the license's latest version at its target. */
export function reDeliveryKey(d: Difference): string | undefined {
  return d.ledger && d.target ? `${d.licenseId}:${d.ledger.version}:${d.target}` : undefined;
}

/**
 * Of `keys` (re-deliveries), those an earlier repair held back as answered duplicates
 * (repair-duplicates.ts): applied without `resendDuplicates`, they are named, not sent.
 */
export async function heldReDeliveries(rt: Runtime, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const found = await (await rt.ledger()).repairDuplicates.find(keys);
  return found.filter((d) => d.heldBy !== null).map((d) => d.key);
}

/**
 * A delivery the platform answered `submitted` and still reviews (it lists a license once accepted):
 * a repair's reopening leaves it as it is (ledger/reconcile-repairs.ts), its deliver job asks for the verdict.
 */
export const awaitsReview = (d: { state: string }): boolean => d.state === 'submitted';

/**
 * Of `keys` (re-deliveries), those under the platform's review (`awaitsReview`): applied, the plan
 * names them in `awaitingPlatform` and sends none of them.
 */
export async function awaitedReDeliveries(rt: Runtime, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  return (await (await rt.ledger()).getDeliveries(keys)).filter(awaitsReview).map((d) => d.key);
}
