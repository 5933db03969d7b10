/**
 * A token or secret endpoint that did not hand out credentials, as a licbridge error. Only a
 * refusal (400, 401, 403, …) says the configured credentials are wrong; a busy or failing
 * endpoint (408, 429, 5xx) says nothing about them, so it is retryable, with its `Retry-After`
 * for the deliver queue to wait — a permanent TARGET_AUTH there would dead-letter a whole job.
 */
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import { parseRetryAfter } from '../http-failure.js';

export function credentialsFailure(
  what: string,
  origin: string,
  status: number,
  retryAfter: unknown,
  now: number,
  target?: string,
): LicbridgeError {
  const message = `${what} to ${origin} failed: HTTP ${status}`;
  const named = target === undefined ? {} : { target };
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, now);
    return new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, message, {
      retryable: true,
      context: { ...named, origin, status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    });
  }
  return new LicbridgeError(ErrorCodes.TARGET_AUTH, message, { context: { ...named, origin, status } });
}
