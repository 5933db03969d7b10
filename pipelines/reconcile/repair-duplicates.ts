/**
 * Which re-deliveries of a repair the platform answered as duplicates and left unrepaired. A
 * platform answers a key it holds already as a duplicate; that is one of two things:
 * - the platform accepted that key long ago and shows an older version now (its view rolled
 *   back): the send changed nothing, and the same key never will. The delivery is held back
 *   (ledger/reconcile-duplicates.ts): later repairs name it without sending it again, until a
 *   person asks for it (`--resend-duplicates`);
 * - this repair's own earlier send landed although its answer never came (a timeout, a dropped
 *   connection), and the send again found it: the platform holds the key in that very version.
 *   That is delivered, not a duplicate.
 * The platform is asked what it holds to tell them apart: the same key (when it echoes one) and the
 * same version is the repair's own send.
 */
import type { Logger } from '../../core/logger.js';
import { operatorActor } from '../../ledger/audit-chain.js';
import { parseDeliveryKey } from '../../ledger/delivery-keys.js';
import type { Runtime } from '../runtime.js';

export interface RepairDuplicateAnswers {
  /** Answered as duplicates while the platform shows another version: not repaired. */
  duplicates: string[];
  /** Answered as duplicates of the repair's own earlier send of the same key: delivered. */
  ownSends: string[];
}

/**
 * Of the keys a repair re-delivered (`redeliveredKeys`: reopened, so answered afresh), those the
 * platform answered as duplicates, told apart as above; the unrepaired ones are held back under
 * `runId`. A platform that cannot be asked (no lookup, or one that fails) leaves its answers as the
 * platform gave them (named as duplicates), not held: the next repair sends them again and asks once more.
 */
export async function repairDuplicateAnswers(
  rt: Runtime,
  redeliveredKeys: readonly string[],
  runId: string,
  logger: Logger,
): Promise<RepairDuplicateAnswers> {
  if (redeliveredKeys.length === 0) return { duplicates: [], ownSends: [] };
  const ledger = await rt.ledger();
  // Kept through later answers (a `submitted` one polled since says nothing of a duplicate).
  const answered = (await ledger.repairDuplicates.find(redeliveredKeys)).filter((d) => d.answeredAt !== null);
  const byTarget = new Map<string, { key: string; licenseId: string; version: number }[]>();
  for (const { key } of answered) {
    const parts = parseDeliveryKey(key);
    if (!parts) continue;
    // Pushed in place: a copy per key made a platform that rolled back 60,000 licenses cost a minute of CPU here.
    const group = byTarget.get(parts.target);
    if (group) group.push({ key, ...parts });
    else byTarget.set(parts.target, [{ key, ...parts }]);
  }
  const out: RepairDuplicateAnswers = { duplicates: [], ownSends: [] };
  const toHold: string[] = [];
  for (const [target, sent] of byTarget) {
    const adapter = await rt.target(target);
    // A target without a lookup cannot be asked either: its repair's own earlier send would be
    // held back as a duplicate, never sent again until a person let it go, though the platform holds it.
    if (!adapter.lookup) {
      logger.info(
        { target, runId },
        `reconcile: repair: target ${target} offers no lookup, so whether ${sent.length} re-delivery(ies) answered as duplicates were this repair's own earlier sends cannot be told: named as not repaired, and sent again by the next repair`,
      );
      out.duplicates.push(...sent.map((s) => s.key));
      continue;
    }
    let held: Map<string, { version: number; key?: string; unreadable?: unknown }>;
    try {
      const records = await adapter.lookup(sent.map((s) => s.licenseId));
      held = new Map(records.map((r) => [r.licenseId, r]));
    } catch (e) {
      logger.warn(
        { target, runId, err: e instanceof Error ? e.message : String(e) },
        `reconcile: repair: target ${target} could not be asked what it holds after answering ${sent.length} re-delivery(ies) as duplicates: named as not repaired, and sent again by the next repair`,
      );
      out.duplicates.push(...sent.map((s) => s.key));
      continue;
    }
    for (const s of sent) {
      const record = held.get(s.licenseId);
      // An answer that cannot be read back proves no delivery (as in the check, read-order.ts): at the
      // same version it was taken for this repair's own send, though the check after still found it.
      const own =
        record !== undefined &&
        !record.unreadable &&
        record.version === s.version &&
        (record.key ?? s.key) === s.key;
      (own ? out.ownSends : out.duplicates).push(s.key);
      if (!own) toHold.push(s.key);
    }
  }
  if (toHold.length > 0) await ledger.repairDuplicates.hold(toHold, runId, operatorActor());
  return out;
}
