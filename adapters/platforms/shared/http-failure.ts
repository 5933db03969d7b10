/**
 * Whole-request failures of an HTTP target (REST/JSON, SOAP/XML, the notify gateway), turned into
 * licbridge errors. Messages name the target and the URL origin only: never a header (tokens,
 * signatures), never a body (personal data).
 */
import axios from 'axios';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { rootLogger } from '../../../core/logger.js';
import { scrubPersonal } from '../../../core/scrub.js';
import type { TlsSettings } from '../../../core/tls.js';
import { httpsTlsError } from '../../tls-http.js';
import { parseHttpDate } from './http-date.js';

/**
 * A fault of no known kind during a request (an auth strategy's or the HTTP client's own, neither
 * an answer nor a transport failure): named by its target, its request and where it went, as the
 * request's other failures are, its cause kept for the log line (masked there). Final: the same
 * fault comes again on a retry.
 */
export function failedUnexpectedly(
  target: string,
  action: string,
  origin: string,
  cause: unknown,
): LicbridgeError {
  const message = `target ${target}: ${action} to ${origin} failed unexpectedly`;
  return new LicbridgeError(ErrorCodes.INTERNAL, message, { context: { target }, cause });
}

export interface FailureWhere {
  target: string;
  /** `scheme://host:port` of the platform; the path and any userinfo are left out. */
  origin: string;
  /** The clock used to turn an HTTP-date `Retry-After` into a delay when the answer has no `Date`. */
  now: number;
  /** The answer's `Date` header: an HTTP-date `Retry-After` is a time on its clock (parseRetryAfter). */
  answerDate?: unknown;
  /**
   * `scheme://host:port/path` the request went to ({@link endpointOf}), named when it is answered
   * 404: a wrong path in the target's `url` said "HTTP 404" and the origin only, the one part of
   * the url that was right. @defaultValue not named
   */
  endpoint?: string;
  /** The setting a 404's or a redirect's advice names. @defaultValue `the target's url` */
  pathFrom?: string;
  /**
   * The answer's `Location`, named with a redirect (3xx): not followed (a signed request is not
   * replayed to another address, tls-http.ts), it failed as `HTTP 301` and no more at every
   * attempt, and where the platform had gone was for the operator to find out.
   */
  location?: unknown;
  /** What was attempted, for the message. @defaultValue `batch upload` */
  action?: string;
  /**
   * Whether a refusal of the whole request (a 4xx other than 401/403/408/429, a non-zero answer
   * code) may pass on a later try. True for license deliveries: a wrong path or a route missing
   * during a deploy (404, 405), a body limit (413) or a gateway's own code says nothing against any
   * one license, and failing for good would dead-letter every version of the job at once. The
   * deliver job then retries with backoff and dead-letters on its last attempt, with this reason.
   * @defaultValue false
   */
  refusalRetryable?: boolean;
}

/** Answer codes in a 200 body that mean "busy, try later", as the HTTP statuses with the same numbers. */
export function isBusyCode(code: number): boolean {
  return code === 408 || code === 429 || (code >= 500 && code <= 599);
}

/**
 * `Retry-After` as delay-seconds or HTTP-date (RFC 9110 §10.2.3), in ms; `undefined` if absent or
 * unreadable. An HTTP-date is a time on the server's clock, which its answer's `Date` (`answerDate`,
 * RFC 9110 §6.6.1) is written by: the wait is the one less the other. Read against this host's
 * clock (`now`, used when the answer has no readable `Date`), a host ten minutes ahead of the
 * platform took "in two minutes" for a time long past and waited nothing, and one behind it waited
 * its lag on top.
 *
 * Only the RFC's forms are read (./http-date.ts): read by `Date.parse`, `1.5` and `-1` were years
 * long past (no wait at all) and a zone-less time was one in this host's zone. Any other value is
 * no hint (the caller's own backoff), and the log says which: `from` names who was answered
 * (`target city`) and `endpoint` where the request went, as {@link endpointOf} names it (never its
 * userinfo or query). Without them a deployment with several targets could not tell whose header
 * was unreadable.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: number,
  answerDate?: unknown,
  from?: string,
  endpoint?: string,
): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = parseHttpDate(trimmed, now);
  if (at === undefined) {
    rootLogger().warn(
      {
        ...(from === undefined ? {} : { from }),
        ...(endpoint === undefined ? {} : { endpoint }),
        retryAfter: shownHeader(trimmed),
      },
      'Retry-After ignored: neither delay-seconds nor an HTTP-date (RFC 9110 §10.2.3); the usual backoff applies',
    );
    return undefined;
  }
  const sent = typeof answerDate === 'string' ? parseHttpDate(answerDate.trim(), now) : undefined;
  return Math.max(0, at - (sent ?? now));
}

/**
 * A header's value as a log line may show it: control characters (C0, DEL, C1) taken out, so it
 * cannot break or steer the line, and cut to 64 characters. A `Retry-After` holds no personal data.
 */
function shownHeader(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}

/**
 * Only short machine tokens from the platform's answer are repeated; free text may echo payload
 * data. A token naming a refused value (`ID_370211199001011234_INVALID`, a recipient's number) has
 * its runs of seven or more digits cut to their last four, and a number written in its groups
 * (`110101-900307-123`) masked by its shape (scrubPersonal).
 */
function safeReason(body: string): string | undefined {
  try {
    const doc = JSON.parse(body) as { reason?: unknown };
    return typeof doc.reason === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(doc.reason)
      ? scrubPersonal(doc.reason, [], () => '***')
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `url` as a message may name it: scheme, host, port and path. Its userinfo and query are left
 * out (a password, a token or an app key may sit there), and so is its fragment.
 */
export function endpointOf(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * What a 404 or a redirect says of where the request went, for its message: the endpoint refused
 * (`where.endpoint`), or where a redirect points (`where.location`, resolved against the request,
 * RFC 9110 §10.2.2), both as {@link endpointOf} names them, and the setting to check
 * (`where.pathFrom`). '' for any other answer, or when neither is known.
 */
export function endpointDetail(
  status: number,
  where: Pick<FailureWhere, 'origin' | 'endpoint' | 'location' | 'pathFrom'>,
): string {
  const setting = where.pathFrom ?? "the target's url";
  if (status === 404 && where.endpoint !== undefined)
    return `: no such endpoint at ${where.endpoint}; check the path of ${setting}`;
  if (status < 300 || status > 399 || typeof where.location !== 'string') return '';
  let to: URL;
  try {
    to = new URL(where.location, where.endpoint ?? where.origin);
  } catch {
    return '';
  }
  return `: redirected to ${endpointOf(to)}; redirects are not followed (a signed request is not sent on to another address): if that is the platform, change ${setting} to match`;
}

export function errorFromStatus(
  status: number,
  body: string,
  retryAfter: string | undefined,
  where: FailureWhere,
): LicbridgeError {
  const reason = safeReason(body);
  const detail = `HTTP ${status}${reason ? ` (${reason})` : ''}${endpointDetail(status, where)}`;
  const context = { target: where.target, origin: where.origin, status, ...(reason ? { reason } : {}) };
  const prefix = `target ${where.target}: ${where.action ?? 'batch upload'} to ${where.origin} failed`;

  if (status === 401 || status === 403) {
    return new LicbridgeError(ErrorCodes.TARGET_AUTH, `${prefix}: credentials refused: ${detail}`, {
      context,
    });
  }
  if (status === 429 || status === 408 || status >= 500) {
    const retryAfterMs = parseRetryAfter(
      retryAfter,
      where.now,
      where.answerDate,
      `target ${where.target}`,
      where.endpoint ?? where.origin,
    );
    return new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, `${prefix}: ${detail}`, {
      retryable: true,
      context: { ...context, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    });
  }
  return new LicbridgeError(ErrorCodes.TARGET_REJECTED, `${prefix}: request refused: ${detail}`, {
    retryable: where.refusalRetryable === true,
    context,
  });
}

/**
 * A 200 whose body is not the documented answer, or whose `code` is not 0 (`401` and `403` refuse
 * the credentials, as those statuses do; `413` is halved by shared/batches.ts as the status is).
 *
 * An unreadable body (a gateway's maintenance page, a proxy's HTML, a truncated answer) is no
 * refusal: the platform may even have stored the records. It is retryable, marked `unsure`; the
 * deliver stage records the attempt, so the next try asks the platform what it holds before it
 * sends again, as after a timeout. A code meaning busy (5xx-like, 429, 408) is retryable too, with
 * the answer's `Retry-After` (`retryAfter`): a gateway that answers every request 200 says how long
 * to wait there as beside a 503 status, and the deliver worker waits it out without spending an
 * attempt, where a backoff of seconds went on asking a platform that asked for minutes.
 */
export function errorFromAnswer(
  code: number | undefined,
  body: string,
  where: FailureWhere,
  retryAfter?: unknown,
): LicbridgeError {
  const reason = safeReason(body);
  const prefix = `target ${where.target}: ${where.action ?? 'batch upload'} to ${where.origin} failed`;
  const context = { target: where.target, origin: where.origin };
  if (code === undefined) {
    return new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, `${prefix}: answer is not the documented JSON`, {
      retryable: true,
      context: { ...context, unsure: true },
    });
  }
  const detail = `platform code ${code}${reason ? ` (${reason})` : ''}`;
  if (isBusyCode(code)) {
    const retryAfterMs = parseRetryAfter(
      typeof retryAfter === 'string' ? retryAfter : undefined,
      where.now,
      where.answerDate,
      `target ${where.target}`,
      where.endpoint ?? where.origin,
    );
    return new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, `${prefix}: ${detail}`, {
      retryable: true,
      context: { ...context, platformCode: code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    });
  }
  // 401 or 403 written in a 200 (a gateway answering every request 200) refuses the credentials
  // as the statuses do: renewed once (auth/with-renewal.ts), else final. Read as a refusal of the
  // request, it was retried with the same stale token until the job's deliveries were dead letters.
  if (code === 401 || code === 403) {
    return new LicbridgeError(ErrorCodes.TARGET_AUTH, `${prefix}: credentials refused: ${detail}`, {
      context: { ...context, platformCode: code },
    });
  }
  return new LicbridgeError(ErrorCodes.TARGET_REJECTED, `${prefix}: ${detail}`, {
    retryable: where.refusalRetryable === true,
    context: { ...context, platformCode: code },
  });
}

export interface TransportFailure {
  /** Node/axios error code: `ECONNREFUSED`, `ECONNABORTED`, `ETIMEDOUT`, … */
  code?: string;
  message: string;
  timedOut: boolean;
}

/**
 * No HTTP answer at all: refused, reset, DNS, or our own timeout. All retryable — the platform may
 * be back in a minute. The cause is a plain Error holding only code and message, because the HTTP
 * client's own error object carries the request headers and body.
 */
export function errorFromTransport(failure: TransportFailure, where: FailureWhere): LicbridgeError {
  const what = failure.timedOut
    ? 'no answer in time'
    : `connection failed${failure.code ? ` (${failure.code})` : ''}`;
  return new LicbridgeError(
    ErrorCodes.TARGET_UNREACHABLE,
    `target ${where.target}: ${where.action ?? 'batch upload'} to ${where.origin} failed: ${what}`,
    {
      retryable: true,
      context: {
        target: where.target,
        origin: where.origin,
        ...(failure.code ? { errno: failure.code } : {}),
      },
      cause: new Error(failure.code ? `${failure.code}: ${failure.message}` : failure.message),
    },
  );
}

/**
 * A request to a platform that got no HTTP answer, as the target's error: a refused certificate
 * named as such (what is wrong, the server's certificate), else the transport failure. Undefined
 * for an error that is neither (the caller reports it as unexpected). Shared by every HTTP target.
 */
export async function errorFromNoAnswer(
  e: unknown,
  where: FailureWhere,
  url: string,
  tls: TlsSettings | undefined,
): Promise<LicbridgeError | undefined> {
  const limit = answerLimitExceeded(e);
  if (limit !== undefined) return errorFromOversize(limit, where);
  const tlsError = await httpsTlsError(e, `target ${where.target}`, ErrorCodes.TARGET_UNREACHABLE, url, tls, {
    target: where.target,
  });
  // The platform refused is named by its origin (host and port, never the url's path, query or
  // user info), as a signing server's is: a config has targets at several hosts, and the target's
  // name alone did not say which server served the certificate.
  if (tlsError) {
    return new LicbridgeError(tlsError.code, `${tlsError.message}; platform ${where.origin}`, {
      retryable: tlsError.retryable,
      context: { ...tlsError.context, origin: where.origin },
      cause: tlsError.cause,
    });
  }
  if (!axios.isAxiosError(e)) return undefined;
  const timedOut = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT';
  return errorFromTransport({ ...(e.code ? { code: e.code } : {}), message: e.message, timedOut }, where);
}

/**
 * The limit an answer ran past (axios `maxContentLength`, ./answer-size.ts), when that is what
 * ended the request; undefined for any other failure.
 */
export function answerLimitExceeded(e: unknown): number | undefined {
  if (!axios.isAxiosError(e) || e.code !== 'ERR_BAD_RESPONSE') return undefined;
  if (!e.message.startsWith('maxContentLength size of')) return undefined;
  const limit = e.config?.maxContentLength;
  return typeof limit === 'number' && limit >= 0 ? limit : undefined;
}

/** What to say of an answer cut off at its limit: the limit, and what to check. */
export function oversizeDetail(limit: number): string {
  return `the answer is larger than the ${limit} bytes this request's answer can hold; cut off: check that url is the platform's API and not a proxy's or portal's page`;
}

/**
 * An answer cut off at its limit ({@link answerLimitExceeded}). Retryable and `unsure`, as an
 * unreadable answer is: the platform may have stored the records, so the next try asks first.
 */
export function errorFromOversize(limit: number, where: FailureWhere): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.TARGET_UNREACHABLE,
    `target ${where.target}: ${where.action ?? 'batch upload'} to ${where.origin} failed: ${oversizeDetail(limit)}`,
    {
      retryable: true,
      context: { target: where.target, origin: where.origin, limitBytes: limit, unsure: true },
    },
  );
}
