/**
 * A license whose request (a REST/JSON batch item, a SOAP record, a front database's exchange row)
 * could not be built for a fault other than its format's (`PayloadError`, which rejects the license
 * alone). Such a fault went out of `deliver` bare: no target, no request named, and every license
 * of the call counted an attempt with an audit entry saying it was tried, though nothing left this
 * host.
 */
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import type { DeliveryItem } from '../target.js';

/**
 * The error of a call stopped by `cause` while `item`'s part of a request was built: unsent (no
 * attempt of any license of the call), naming the target, the request (`action`) and where it was
 * to go (`to`: the platform's origin, the exchange table), the license's `part` of it, the fault its cause (masked when logged:
 * its text may quote the license). The build is a pure mapping of the canonical license (the
 * platform's field map, its code lists, JSON or XML of it): built again, it fails again, so the
 * fault is INTERNAL and final, as the targets' other faults of no known kind are.
 */
export function requestNotBuilt(
  target: string,
  request: { action: string; to: string; part: string },
  item: Pick<DeliveryItem, 'licenseId' | 'version'>,
  cause: unknown,
): LicbridgeError {
  const what = `the ${request.part} of license ${item.licenseId} version ${item.version} could not be built`;
  return new LicbridgeError(
    ErrorCodes.INTERNAL,
    `target ${target}: ${request.action} to ${request.to} not sent: ${what}`,
    { context: { target, unsent: true }, cause },
  );
}
