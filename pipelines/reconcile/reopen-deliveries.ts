/**
 * A repair's re-deliveries (`re-deliver`) put back to `pending`, a page of the plan at a time, as its
 * versions are written (write-repairs.ts): read for the whole plan at once, a repair re-delivering to
 * a platform that lost a million licenses held every key, the version each sends and every
 * delivery with its receipt before it reopened the first. Memory now holds a page of keys and
 * deliveries; across pages only version ids (those to sign and deliver, which the repair returns
 * anyway) and the keys it names. The deliveries reopened, their audit entries and their order are
 * those of one read of the whole plan: the pages come in the plan's order.
 */
import { operatorActor } from '../../ledger/audit-chain.js';
import { throwIfStopped } from '../run-stop.js';
import type { Runtime } from '../runtime.js';
import { awaitsReview, heldReDeliveries, reDeliveryKey } from './re-deliveries.js';
import type { RepairPlan } from './repair.js';

/** What reopening a plan's re-deliveries did (AppliedRepairs names each). */
export interface ReopenedDeliveries {
  reopened: number;
  /** Put back to `pending` (no attempt, no receipt): sent again by their version's deliver jobs. */
  redeliveredKeys: string[];
  /** Held back by an earlier repair as answered duplicates: named, not sent. */
  heldDuplicates: string[];
  /** Left `submitted` (under the platform's review): named, not sent. */
  awaitingPlatform: string[];
  /** The versions to sign and deliver again: not one whose every key awaits the platform's review. */
  versionIds: Set<number>;
}

export interface ReopenOptions {
  resendDuplicates?: boolean;
  pageSize: number;
  /**
   * Aborted, no further page is reopened (the pages reopened stand) and the call rejects with
   * `RunStopped` for `run` (../run-stop.ts), as the repair's pages of versions stop (write-repairs.ts).
   */
  stop?: AbortSignal | undefined;
  /** The repair's run, as a stopped repair names it. */
  run?: { pipeline: string; runId: string };
  /** The command, as a stopped repair names it. @defaultValue 'reconcile --repair' */
  command?: string;
}

/** Reopens the re-deliveries of `plan`, `pageSize` plan items at a time. */
export async function reopenReDeliveries(
  rt: Runtime,
  plan: RepairPlan,
  options: ReopenOptions,
): Promise<ReopenedDeliveries> {
  const ledger = await rt.ledger();
  const actor = operatorActor();
  const reason = `reconcile ${plan.reportId}`;
  const out: ReopenedDeliveries = {
    reopened: 0,
    redeliveredKeys: [],
    heldDuplicates: [],
    awaitingPlatform: [],
    versionIds: new Set(),
  };
  // A version is re-delivered under a key per target, which the plan may list pages apart: one
  // left out of the versions to sign only when none of its keys is sent again.
  const sentAgain = new Set<number>();
  const awaited = new Set<number>();
  for (let at = 0; at < plan.items.length; at += options.pageSize) {
    // Each page's reopening is its own write: a repair told to stop reopened every page of a
    // platform's lost licenses first (a million re-deliveries) and heard the stop only as it queued.
    throwIfStopped(options.stop, options.run ? [options.run] : [], options.command ?? 'reconcile --repair');
    // The version each of the page's keys sends.
    const versionOfKey = new Map<string, number>();
    for (const { action, difference: d } of plan.items.slice(at, at + options.pageSize)) {
      const key = action === 're-deliver' ? reDeliveryKey(d) : undefined;
      if (key !== undefined && d.ledger) versionOfKey.set(key, d.ledger.versionId);
    }
    if (versionOfKey.size === 0) continue;
    const keys = [...versionOfKey.keys()];
    if (options.resendDuplicates)
      await ledger.repairDuplicates.release(keys, actor, `${reason}: --resend-duplicates`);
    out.reopened += await ledger.reopenDeliveries(keys, actor, reason);
    // Held back by an earlier repair (not reopened): named again, not sent.
    out.heldDuplicates.push(...(await heldReDeliveries(rt, keys)));
    // The deliveries put back to `pending`, told by the mark the reopening leaves (no attempt, no
    // receipt): a version a newer one replaced is left as it was. Never by a time: a delivery's
    // `updated_at` is written by the clock of whichever process recorded its answer.
    const awaitingHere = new Set<string>();
    for (const d of await ledger.getDeliveries(keys)) {
      const versionId = versionOfKey.get(d.key);
      if (versionId === undefined) continue;
      // Left `submitted` by the reopening (ledger/reconcile-repairs.ts): under the platform's review.
      if (awaitsReview(d)) {
        out.awaitingPlatform.push(d.key);
        awaitingHere.add(d.key);
        awaited.add(versionId);
      } else if (d.state === 'pending' && d.attempts === 0 && d.receipt === null) {
        out.redeliveredKeys.push(d.key);
      }
    }
    // A key the ledger gives no delivery for is sent again as before (its deliver job writes it).
    for (const [key, versionId] of versionOfKey) {
      out.versionIds.add(versionId);
      if (!awaitingHere.has(key)) sentAgain.add(versionId);
    }
  }
  // No delivery reopened: none was put back by this repair, whatever state the others are in.
  if (out.reopened === 0) out.redeliveredKeys = [];
  // A deliver job for one whose every key awaits the review would wait for it, and the repair with it.
  for (const v of awaited) if (!sentAgain.has(v)) out.versionIds.delete(v);
  return out;
}
