/**
 * A license whose request (a REST/JSON batch item, a SOAP record, a front database's exchange row)
 * could not be built for a fault other than its format's (`PayloadError`, which rejects the license
 * alone). Such a fault went out of `deliver` bare: no target, no request named, and every license
 * of the call counted an attempt with an audit entry saying it was tried, though nothing left this
 * host. Then it failed the whole call, final, and the deliver worker dead-lettered every open
 * delivery of the job, each naming that one license: it is now that license's own outcome.
 */
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import type { DeliveryItem, DeliveryOutcome } from '../target.js';
import { failedBy } from './batches.js';

/**
 * The outcome of `item`, whose part of a request could not be built for `cause`: failed, final and
 * unsent (nothing of it left this host), its reason naming the target, the request (`action`), where
 * it was to go (`to`: the platform's origin, the exchange table) and the license's `part` of it. The
 * build is a pure mapping of the canonical license (the platform's field map, its code lists, JSON or
 * XML of it): built again, it fails again, so it is INTERNAL and final, as the targets' other faults
 * of no known kind are. The deliver stage dead-letters it alone and the call's other licenses are
 * sent. The fault is the outcome's `cause`, which the stage logs masked and never stores: its text
 * may quote the license.
 */
export function partNotBuilt(
  target: string,
  request: { action: string; to: string; part: string },
  item: Pick<DeliveryItem, 'key' | 'licenseId' | 'version'>,
  cause: unknown,
): DeliveryOutcome {
  const what = `the ${request.part} of license ${item.licenseId} version ${item.version} could not be built`;
  const error = new LicbridgeError(
    ErrorCodes.INTERNAL,
    `target ${target}: ${request.action} to ${request.to} not sent: ${what}`,
    { context: { target, unsent: true }, cause },
  );
  return { ...failedBy(item.key, error, false), cause };
}
