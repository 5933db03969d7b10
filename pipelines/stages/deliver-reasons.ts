/**
 * A platform's reasons made safe to store before the deliver stage (deliver.ts) records them:
 * platforms echo the record they refuse, and the reasons go to the ledger (a dead letter's reasons,
 * which `dlq list` and `dlq show` print, and a delivery's last error), the job's error and data
 * (Redis: `lastPollReason`) and logs, so each license's personal values are masked first, then
 * the text is made safe as any error's is (failureMessage).
 */
import {
  holdersOf,
  personalValuesOf,
  scrubPlatformReason,
} from '../../adapters/platforms/shared/platform-text.js';
import type { DeliveryOutcome } from '../../adapters/platforms/target.js';
import type { License } from '../../catalog/license.js';
import { isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import type { StoredDelivery, VersionLedger } from '../../ledger/ledger.js';
import { readableLicense } from '../reconcile/stored-text.js';

/**
 * A reason in an adapter's own words, as it writes them (``target city: exchange table … holds
 * EXCHANGE_STATUS `7` …``, `licbridge: …`; a target's name is config's NAME_PATTERN): its backticks
 * name a code or a config value the operator acts on, as a licbridge error's do. A platform's
 * words (`exchange system refused the row …: …`, a rejection's errors) are any other text.
 */
const OWN_WORDS = /^(?:licbridge|target [a-z][a-z0-9-]*): /;

/**
 * The outcomes with the platform's reasons made safe to store (scrubPlatformReason): they go to the
 * ledger as dead-letter reasons and last errors and, for a failure, into the job's error and, for
 * a failed status request, its data (Redis, logs), and platforms echo the record they refuse.
 */
export function withSafeReasons(
  outcomes: readonly DeliveryOutcome[],
  licenses: ReadonlyMap<string, License>,
): DeliveryOutcome[] {
  // A reason may name another license of the batch (a duplicate check): its holder is masked too.
  const batchHolders = outcomes.some((o) => o.reasons?.length) ? holdersOf(licenses.values()) : [];
  return outcomes.map((o) => {
    if (!o.reasons?.length) return o;
    const personal = personalValuesOf(licenses.get(o.key), batchHolders);
    return { ...o, reasons: o.reasons.map((r) => scrubPlatformReason(r, personal, OWN_WORDS.test(r))) };
  });
}

/** The licenses of the deliveries among `rows` whose outcome carries reasons, by delivery key. */
export async function licensesOf(
  ledger: VersionLedger,
  rows: readonly StoredDelivery[],
  outcomes: readonly DeliveryOutcome[],
): Promise<Map<string, License>> {
  const withReasons = new Set(outcomes.filter((o) => o.reasons?.length).map((o) => o.key));
  const wanted = rows.filter((r) => withReasons.has(r.key));
  if (wanted.length === 0) return new Map();
  const versions = new Map(
    (await ledger.getVersions(wanted.map((r) => r.versionId))).map((v) => [v.versionId, v]),
  );
  const out = new Map<string, License>();
  for (const r of wanted) {
    const v = versions.get(r.versionId);
    // A text that does not read masks nothing, and fails nothing here (deliver-items.ts refuses it).
    const license = v && readableLicense(v);
    if (license) out.set(r.key, license);
  }
  return out;
}

/**
 * The message of an error a target threw for a whole send, as each delivery keeps it (its last
 * error, which `dlq list` and `status` print): the error is the batch's, and a target quoting a
 * platform's or a database's words may name any license sent, so the holders of all are masked.
 */
export function thrownReason(error: unknown, licenses: readonly License[]): string {
  const text = error instanceof Error ? error.message : String(error);
  return scrubPlatformReason(text, personalValuesOf(undefined, holdersOf(licenses)), isLicbridgeError(error));
}

/**
 * The error to pass on for `error`, which a target threw for a whole send, for the job's error goes
 * to Redis and the logs: when its message names a holder of `licenses`, a licbridge error is made
 * again with `reason` (thrownReason) as its message, its code, retry flag, context and cause kept;
 * an error of another kind (a driver's, whose words the job's error keeps unless quoted) has its
 * message and stack made safe where it is, so its class and code still say what failed.
 */
export function thrownWithReason(error: unknown, licenses: readonly License[]): unknown {
  if (!(error instanceof Error)) return error;
  const holders = holdersOf(licenses);
  if (!holders.some((h) => error.message.includes(h))) return error;
  const reason = thrownReason(error, licenses);
  if (!isLicbridgeError(error) || error.constructor !== LicbridgeError) {
    const original = error.message;
    error.message = reason;
    if (error.stack?.includes(original)) error.stack = error.stack.replace(original, reason);
    return error;
  }
  return new LicbridgeError(error.code, reason, {
    retryable: error.retryable,
    context: error.context,
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  });
}
