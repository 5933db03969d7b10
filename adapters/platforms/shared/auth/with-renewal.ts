/**
 * One request with credentials that may have gone stale (a rotated secret, an expired token):
 * when the platform refuses them and the strategy renews them, the request is sent once more.
 * Once only: credentials refused right after a renewal are wrong, not stale.
 */
import { ErrorCodes, isLicbridgeError } from '../../../../core/errors.js';
import type { AuthStrategy } from './auth-strategy.js';

export async function withRenewal<T>(auth: AuthStrategy, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (e) {
    if (isLicbridgeError(e) && e.code === ErrorCodes.TARGET_AUTH && auth.refresh && (await auth.refresh())) {
      return request();
    }
    throw e;
  }
}
