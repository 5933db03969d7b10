/**
 * A token or secret endpoint that did not hand out credentials, as a licbridge error. Only a
 * refusal (400, 401, 403, …) says the configured credentials are wrong; a busy or failing
 * endpoint (408, 429, 5xx) says nothing about them, so it is retryable, with its `Retry-After`
 * for the deliver queue to wait — a permanent TARGET_AUTH there would dead-letter a whole job.
 * Nor does a 2xx that is not JSON, or says busy in its `code` (`answeredWithoutCredentials`).
 */
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import { answerCode } from '../answer-code.js';
import { endpointDetail, endpointOf, isBusyCode, parseRetryAfter } from '../http-failure.js';
import type { CredentialAnswer } from './credential-request.js';

export function credentialsFailure(
  what: string,
  origin: string,
  status: number,
  retryAfter: unknown,
  now: number,
  target?: string,
  /** The answer's `Date`, which an HTTP-date `Retry-After` is read against (../http-failure.ts). */
  answerDate?: unknown,
  /** What a 404 or a redirect says of where it went (../http-failure.ts `endpointDetail`). */
  detail = '',
): LicbridgeError {
  const message = `${what} to ${origin} failed: HTTP ${status}${detail}`;
  const named = target === undefined ? {} : { target };
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(
      typeof retryAfter === 'string' ? retryAfter : undefined,
      now,
      answerDate,
      what,
    );
    return new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, message, {
      retryable: true,
      context: { ...named, origin, status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    });
  }
  return new LicbridgeError(ErrorCodes.TARGET_AUTH, message, { context: { ...named, origin, status } });
}

/**
 * Why an answer handed out no credentials (`what` to `origin` asked for them), as a licbridge
 * error. Not 2xx: by its status (`credentialsFailure`). A 2xx says nothing against the credentials
 * unless its body does: a body that is not JSON is a gateway's or proxy's page answered 200 (a
 * maintenance page, a portal), retryable as an unreadable answer, and a JSON `code` meaning busy
 * (5xx-like, 429, 408: a gateway answering every request 200, ../http-failure.ts `isBusyCode`) is
 * retryable as the status of that number, with its Retry-After. Read as refusals (TARGET_AUTH,
 * final), either failed the deliver job for good and dead-lettered every delivery of it, however
 * soon the endpoint was back. Any other 2xx without credentials refuses them. Nothing of the body
 * is repeated but its code: it is another party's text.
 */
export function answeredWithoutCredentials(
  what: string,
  origin: string,
  answer: CredentialAnswer,
  now: number,
  target?: string,
  /**
   * The URL asked and the setting that names it (`the tokenUrl`): a 404 names the endpoint and a
   * redirect where it points, as a wrong path or a moved endpoint, not refused credentials.
   */
  asked?: { url: string; setting: string },
): LicbridgeError {
  const { status, text, headers } = answer;
  if (status < 200 || status > 299) {
    const detail = asked
      ? endpointDetail(status, {
          origin,
          endpoint: endpointOf(new URL(asked.url)),
          location: headers.location,
          pathFrom: asked.setting,
        })
      : '';
    return credentialsFailure(
      what,
      origin,
      status,
      headers['retry-after'],
      now,
      target,
      headers.date,
      detail,
    );
  }
  const named = target === undefined ? {} : { target };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  if (typeof doc !== 'object' || doc === null) {
    return new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      `${what} to ${origin} failed: HTTP ${status}, answer is not the documented JSON`,
      // No `status`: a 200 is no failure's status (../failure-kind.ts would read `http-200`).
      { retryable: true, context: { ...named, origin, failure: 'unreadable-answer' } },
    );
  }
  const code = answerCode((doc as { code?: unknown }).code);
  if (code !== undefined && isBusyCode(code)) {
    const ra = headers['retry-after'];
    const retryAfterMs = parseRetryAfter(typeof ra === 'string' ? ra : undefined, now, headers.date, what);
    return new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      `${what} to ${origin} failed: platform code ${code}`,
      {
        retryable: true,
        context: {
          ...named,
          origin,
          platformCode: code,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        },
      },
    );
  }
  return credentialsFailure(what, origin, status, headers['retry-after'], now, target, headers.date);
}

/**
 * A strategy's failure to make a request's credentials (a token or secret endpoint down, busy or
 * refusing the client), as the error of that request, which never left this host (`unsent`, as a
 * request a wait held back: ../batches.ts `neverSent`): no attempt of the licenses it was to
 * carry. Counted, each got attempts + 1 and a deliver-attempt audit entry saying it was tried.
 * The words, code, retryability and Retry-After stay the endpoint's: the job still fails naming
 * the target and the endpoint, and a busy endpoint still holds the target's other requests
 * (../send-pause.ts `note`). One that is not licbridge's (a strategy's own fault) is final, as it was.
 */
export function credentialsNotMade(
  error: unknown,
  target: string,
  /**
   * The request, as its other failures name it (`status request`), and where it was to go: a
   * strategy's own fault said `the request's credentials could not be made`, and no more.
   */
  request: { action: string; origin: string },
): LicbridgeError {
  if (error instanceof LicbridgeError)
    return new LicbridgeError(error.code, error.message, {
      retryable: error.retryable,
      context: { ...error.context, unsent: true },
      ...(error.cause === undefined ? {} : { cause: error.cause }),
    });
  return new LicbridgeError(
    ErrorCodes.INTERNAL,
    `target ${target}: ${request.action} to ${request.origin} not sent: its credentials could not be made`,
    { context: { target, unsent: true }, cause: error },
  );
}
