/**
 * A license whose latest version licbridge has not delivered to a platform yet: no delivery of it
 * made there (the version waits for its signature or its deliver job, or the target was added to
 * the pipeline since), or one still `pending` (queued, or retried after a failure). The ledger's
 * backlog holds it and the next run works it off (ledger/backlog.ts, pipelines/sweep.ts), so a
 * platform without that version is behind by design, not altered: the check counts such licenses
 * as awaiting delivery instead of reporting them missing or drifted, and a repair does not re-send
 * what the ordinary delivery is about to send. A delivery answered `submitted` (the platform
 * reviews it) is not among them: the check reports it until the platform decides (repair.ts).
 */
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import type { LedgerLicenseAtTarget } from '../../ledger/audit-types.js';

/** Delivery states of a latest version not delivered yet: `null` is no delivery made. */
const NOT_DELIVERED: readonly (string | null)[] = [null, 'pending'];

/**
 * The platform lacks the latest version (holds none of the license, or an earlier version) and
 * licbridge has not delivered it there yet. A platform holding the latest or a later version, or an
 * entry that cannot be read, is compared as ever.
 */
export function awaitsDelivery(l: LedgerLicenseAtTarget, p: PlatformRecord | undefined): boolean {
  if (!NOT_DELIVERED.includes(l.deliveryState)) return false;
  return p === undefined || (!p.unreadable && p.version < l.version);
}
