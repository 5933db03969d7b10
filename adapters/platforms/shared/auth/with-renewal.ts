/**
 * One request with credentials that may have gone stale (a rotated secret, an expired token):
 * when the platform refuses them and the strategy renews them, the request is sent once more.
 * Once only: credentials refused right after a renewal are wrong, not stale.
 *
 * The request says which credentials it sent (`sent.headers`), so the strategy renews only what
 * is still current: two requests refused with the same stale token must not each throw away the
 * token the other one just fetched — on platforms where issuing a token retires the previous one,
 * the first request's one retry would be refused again, a permanent TARGET_AUTH.
 *
 * Only a request that was sent is renewed: one whose credentials could not be made (a token
 * endpoint answering 401 to the client credentials) never left this host, and no platform refused
 * anything. Renewed, the token endpoint was asked a second time with the credentials it had just
 * refused; the refusal now fails at once, naming the target and the endpoint's origin.
 */
import { ErrorCodes, isLicbridgeError } from '../../../../core/errors.js';
import type { AuthStrategy } from './auth-strategy.js';

/**
 * Filled in by the request: the credential headers it was sent with, as soon as they are made
 * (left unset, the request is taken for one that never left: it is not renewed).
 */
export interface SentCredentials {
  headers?: Record<string, string>;
}

/**
 * `unexpected` wraps a fault of the strategy's own (not a licbridge error) thrown while it renews,
 * as the caller wraps one thrown while credentials are made: it went out bare, naming no target
 * and no request. @defaultValue none: thrown as it is
 */
export async function withRenewal<T>(
  auth: AuthStrategy,
  request: (sent: SentCredentials) => Promise<T>,
  unexpected?: (fault: unknown) => Error,
): Promise<T> {
  const sent: SentCredentials = {};
  try {
    return await request(sent);
  } catch (e) {
    if (
      isLicbridgeError(e) &&
      e.code === ErrorCodes.TARGET_AUTH &&
      sent.headers !== undefined &&
      auth.refresh &&
      (await renewed(auth.refresh.bind(auth), sent.headers, unexpected))
    ) {
      return request({});
    }
    throw e;
  }
}

/** `refresh`'s answer; its own fault wrapped by `unexpected`, a licbridge error thrown as it is. */
async function renewed(
  refresh: (refused: Record<string, string>) => Promise<boolean>,
  refused: Record<string, string>,
  unexpected: ((fault: unknown) => Error) | undefined,
): Promise<boolean> {
  try {
    return await refresh(refused);
  } catch (e) {
    throw isLicbridgeError(e) || unexpected === undefined ? e : unexpected(e);
  }
}
