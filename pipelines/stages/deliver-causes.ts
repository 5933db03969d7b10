/**
 * The faults behind outcomes a target failed alone (`DeliveryOutcome.cause`: a license's part of a
 * request that could not be built, adapters/platforms/shared/request-not-built.ts). The outcome's
 * reason, which the ledger keeps as the dead letter's, names the license and the request only; the
 * fault says what went wrong, and its text may quote the license, so it is logged, masked as every
 * logged error is (core/logger.ts), and never stored.
 */
import type { DeliveryOutcome } from '../../adapters/platforms/target.js';
import type { Logger } from '../../core/logger.js';

/** Where the causes are logged: the deliver worker's job logger. */
export type CauseLogger = Pick<Logger, 'warn'>;

/** Logs, one warning each, the causes among `outcomes` of deliveries to `target` that failed. */
export function logFailureCauses(
  logger: CauseLogger | undefined,
  target: string,
  outcomes: readonly DeliveryOutcome[],
): void {
  if (logger === undefined) return;
  for (const o of outcomes) {
    if (o.state !== 'failed' || o.cause === undefined) continue;
    const final = o.retryable === false ? 'failed for good' : 'not delivered yet';
    logger.warn(
      // `delivery`: a field named `key` is a secret's to the logger, and never shown.
      { target, delivery: o.key, reason: o.reasons?.[0], err: o.cause },
      `deliver: a delivery to target ${target} ${final}, not sent: the fault is its own, and the other licenses of its request went on`,
    );
  }
}
