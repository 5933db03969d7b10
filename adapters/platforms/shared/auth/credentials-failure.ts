/**
 * A token or secret endpoint that did not hand out credentials, as a licbridge error. Only a
 * refusal (400, 401, 403, …) says the configured credentials are wrong; a busy or failing
 * endpoint (408, 429, 5xx) says nothing about them, so it is retryable, with its `Retry-After`
 * for the deliver queue to wait — a permanent TARGET_AUTH there would dead-letter a whole job.
 * Nor does a 2xx that is not JSON (`unreadableCredentials`).
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

/**
 * A 2xx whose body is not JSON: a gateway's or proxy's page answered 200 (a maintenance page, a
 * portal) in place of the endpoint's answer. It hands out no credentials and refuses none: retryable,
 * an unreadable answer. Read as a refusal (TARGET_AUTH, final), it failed the deliver job for good
 * and dead-lettered every delivery of it, however soon the endpoint was back. Nothing of the page
 * is repeated: it is another party's text.
 */
export function unreadableCredentials(
  what: string,
  origin: string,
  status: number,
  target?: string,
): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.TARGET_UNREACHABLE,
    `${what} to ${origin} failed: HTTP ${status}, answer is not the documented JSON`,
    {
      retryable: true,
      // No `status`: a 200 is no failure's status (shared/failure-kind.ts would read `http-200`).
      context: { ...(target === undefined ? {} : { target }), origin, failure: 'unreadable-answer' },
    },
  );
}
