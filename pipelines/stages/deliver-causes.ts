/**
 * The faults behind outcomes a target failed alone (`DeliveryOutcome.cause`: a license's part of a
 * request that could not be built, adapters/platforms/shared/request-not-built.ts). The outcome's
 * reason, which the ledger keeps as the dead letter's, names the license and the request only; the
 * fault says what went wrong, and its text may quote the license, so it is logged with the
 * license's own values masked first, as a stored reason's are (deliver-reasons.ts), then masked as
 * every logged error is (core/logger.ts), and never stored.
 */
import { personalValuesOf, scrubPlatformReason } from '../../adapters/platforms/shared/platform-text.js';
import type { DeliveryOutcome } from '../../adapters/platforms/target.js';
import type { License } from '../../catalog/license.js';
import { stackFrames } from '../../core/error-text.js';
import type { Logger } from '../../core/logger.js';

/** Where the causes are logged: the deliver worker's job logger. */
export type CauseLogger = Pick<Logger, 'warn'>;

/**
 * Logs, one warning each, the causes among `outcomes` of deliveries to `target` that failed;
 * `licenses`: the license sent under each delivery key, whose values are masked in its cause.
 */
export function logFailureCauses(
  logger: CauseLogger | undefined,
  target: string,
  outcomes: readonly DeliveryOutcome[],
  licenses: ReadonlyMap<string, License>,
): void {
  if (logger === undefined) return;
  for (const o of outcomes) {
    if (o.state !== 'failed' || o.cause === undefined) continue;
    const final = o.retryable === false ? 'failed for good' : 'not delivered yet';
    logger.warn(
      // `delivery`: a field named `key` is a secret's to the logger, and never shown.
      { target, delivery: o.key, reason: o.reasons?.[0], err: causeOf(o.cause, licenses.get(o.key)) },
      `deliver: a delivery to target ${target} ${final}, not sent: the fault is its own, and the other licenses of its request went on`,
    );
  }
}

/**
 * `cause` with `license`'s values masked: a mapping fault names the holder as it found it
 * (`holder 测试戊己: unknown region`), unquoted, and no shape tells a name, so the logger's own
 * masking would leave it. A license whose values cannot be read (the fault may be just that: no
 * holder) has the fault's words withheld, its type kept.
 */
function causeOf(cause: unknown, license: License | undefined): unknown {
  let personal: string[];
  try {
    personal = personalValuesOf(license);
  } catch {
    return cause instanceof Error
      ? { type: cause.name, message: "withheld: the license's values could not be read to mask it" }
      : "withheld: the license's values could not be read to mask it";
  }
  return personal.length === 0 ? cause : masked(cause, personal, 0);
}

/** `cause`'s message, stack and own causes with `personal` masked (scrubPlatformReason). */
function masked(cause: unknown, personal: readonly string[], depth: number): unknown {
  if (typeof cause === 'string') return scrubPlatformReason(cause, personal);
  if (!(cause instanceof Error)) return cause;
  const out = new Error(scrubPlatformReason(cause.message, personal));
  out.name = cause.name;
  out.stack = `${cause.name}: ${out.message}${stackFrames(cause)}`;
  // Bounded: a chain of causes may loop.
  if (cause.cause !== undefined && depth < 4) out.cause = masked(cause.cause, personal, depth + 1);
  return out;
}
