/**
 * The requests a strategy makes on its own — an OAuth2 token, a refreshed app secret — over the
 * right connection. A credential URL on the target's own host goes out on the target's HTTP
 * client, so with the target's `tls`: the government CA in `tls.ca` that host's certificate is
 * verified with, the unit's client certificate a mutual-TLS platform demands of every request.
 *
 * A credential URL on another host is another party, and the target's `tls` is not used for it:
 * its CA bundle would replace the public roots that host is verified with, its `servername` names
 * the platform, and its client certificate is the platform's to see. That host is verified with
 * Node's roots (plus `NODE_EXTRA_CA_CERTS`) and sent no client certificate, unless the scheme
 * has TLS settings of its own (`auth.tls`), which then apply wherever the URL points.
 */
import axios, { type AxiosInstance } from 'axios';
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import type { TlsSettings } from '../../../../core/tls.js';
import { CLIENT_REJECTION_PROBE_MS } from '../../../../core/tls-probe.js';
import { httpsTlsError, platformHttp } from '../../../tls-http.js';
import { platformAnswerLimit } from '../answer-size.js';
import { answerLimitExceeded, oversizeDetail } from '../http-failure.js';

/** The target a strategy authenticates for, and its connection. */
export interface AuthConnection {
  /** The target's name, for messages. */
  readonly target: string;
  /** The target's `url`: credential URLs on its host use `http` (and so `tls`). */
  readonly url: string;
  readonly tls: TlsSettings | undefined;
  /** The target's client (tls-http.ts `platformHttp`), built with `tls`. */
  readonly http: AxiosInstance;
}

export interface CredentialRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly params?: Record<string, string>;
  readonly data?: string;
  readonly headers?: Record<string, string>;
  readonly timeoutMs: number;
}

export interface CredentialAnswer {
  readonly status: number;
  /** The answer body as text. */
  readonly text: string;
  readonly headers: Record<string, unknown>;
}

// The URL parser lowers the case, writes an IPv6 address one way and a Chinese domain in its ASCII
// form; it keeps a fully qualified name's trailing dot, which names the same host (RFC 1034 §3.1).
const hostOf = (url: string): string => new URL(url).hostname.toLowerCase().replace(/\.$/, '');

/** Whether `url` is on the target's own host (any port): then it is reached with the target's `tls`. */
export function onTargetHost(url: string, connection: AuthConnection): boolean {
  try {
    return hostOf(url) === hostOf(connection.url);
  } catch {
    return false;
  }
}

/** `target <name>: <what>`, or `<what>` for a strategy built without a target. */
export function credentialWhat(connection: AuthConnection | undefined, what: string): string {
  return connection ? `target ${connection.target}: ${what}` : what;
}

/** Which client a credential request goes out on, and with which TLS settings. */
interface Route {
  readonly http: AxiosInstance;
  readonly tls: TlsSettings | undefined;
  /** Said after a refused certificate: which settings were used, when not the target's `tls`. */
  readonly note: string;
  close(): void;
}

function route(
  connection: AuthConnection | undefined,
  url: string,
  own: TlsSettings | undefined,
  timeoutMs: number,
): Route {
  if (own) {
    // A client of its own, for one request: credentials are fetched once in hours.
    const { http, close } = platformHttp(timeoutMs, own);
    return {
      http,
      tls: own,
      note: ' (TLS settings: `auth.tls`, so `auth.tls.ca` and so on)',
      close,
    };
  }
  if (connection && onTargetHost(url, connection)) {
    return { http: connection.http, tls: connection.tls, note: '', close: () => undefined };
  }
  // A client of its own too, with verification stated rather than left to the global client's
  // defaults: that one honours `NODE_TLS_REJECT_UNAUTHORIZED=0` and an environment proxy, whose
  // answer to CONNECT it takes as the token endpoint's (tls-http.ts platformHttp).
  const { http, close } = platformHttp(timeoutMs, undefined);
  return {
    http,
    tls: undefined,
    note: connection
      ? " (this host is not the target's: the target's `tls` does not apply to it, so it is verified with the public roots and NODE_EXTRA_CA_CERTS; set `auth.tls` for it)"
      : '',
    close,
  };
}

/**
 * The longest `sendCredentialRequest` with `timeoutMs` takes, ms: the timeout bounds the request
 * whole, answer included (whole-request-timeout.ts; the request's body is a few hundred bytes, its
 * upload time within the lock's margin), and a reset is followed by one probe for a refused client
 * certificate, bounded as `httpsTlsError` calls it (core/tls-probe.ts). What a lock held across the request must outlast (token-share.ts).
 */
export function credentialRequestMs(timeoutMs: number): number {
  return timeoutMs + CLIENT_REJECTION_PROBE_MS;
}

/**
 * Sends a credential request and returns whatever status came back: with `tls` (the scheme's
 * `auth.tls`) when given, else the target's `tls` on its host, else the public roots. No answer is
 * a TARGET_UNREACHABLE error: a refused certificate names the target and what is wrong (not
 * retryable), anything else is retryable and carries only the transport's code (the request may
 * hold a signed query or client credentials). A credential request never follows a redirect: sent
 * again to wherever `Location` points, its credentials would go to whoever holds that address.
 */
export async function sendCredentialRequest(
  connection: AuthConnection | undefined,
  what: string,
  req: CredentialRequest,
  tls?: TlsSettings,
): Promise<CredentialAnswer> {
  const origin = new URL(req.url).origin;
  const via = route(connection, req.url, tls, req.timeoutMs);
  const label = `${credentialWhat(connection, what)} to ${origin}`;
  const context = { origin, ...(connection ? { target: connection.target } : {}) };
  let res: { status: number; data: unknown; headers: Record<string, unknown> };
  try {
    res = await via.http.request({
      method: req.method,
      url: req.url,
      ...(req.params ? { params: req.params } : {}),
      ...(req.data === undefined ? {} : { data: req.data }),
      ...(req.headers ? { headers: req.headers } : {}),
      timeout: req.timeoutMs,
      maxRedirects: 0,
      // A token's or a secret's answer: no items, read no further (axios' own default is no limit).
      maxContentLength: platformAnswerLimit(0),
      validateStatus: () => true,
    });
  } catch (e) {
    const limit = answerLimitExceeded(e);
    if (limit !== undefined) {
      throw new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, `${label} failed: ${oversizeDetail(limit)}`, {
        retryable: true,
        context: { ...context, limitBytes: limit },
      });
    }
    // A fault of the client's own (no error of the HTTP library: no transport failure, no answer)
    // is no endpoint out of reach: read so, it was retried, and its cause was a bare
    // `transport error`. Final, the fault kept, as a platform request's (../../rest-json/lookup.ts).
    if (!axios.isAxiosError(e))
      throw new LicbridgeError(ErrorCodes.INTERNAL, `${label} failed unexpectedly`, { context, cause: e });
    const tlsError = await httpsTlsError(
      transportOnly(e),
      label,
      ErrorCodes.TARGET_UNREACHABLE,
      req.url,
      via.tls,
      context,
    );
    if (tlsError) {
      throw new LicbridgeError(tlsError.code, `${tlsError.message}${via.note}`, {
        retryable: false,
        context: tlsError.context,
        cause: tlsError.cause,
      });
    }
    // The transport's code in the fields too (shared/failure-kind.ts): in the cause alone, and
    // the message's words saying nothing, a token endpoint refusing connections or never
    // answering was audited `other`, not `unreachable` or `timeout`.
    const errno = axios.isAxiosError(e) && typeof e.code === 'string' ? e.code : undefined;
    // And in the words, as a platform request's (../http-failure.ts errorFromTransport): they said
    // `failed` and no more, why left to the fields.
    const timedOut = errno === 'ECONNABORTED' || errno === 'ETIMEDOUT';
    const why = timedOut
      ? 'no answer in time'
      : `connection failed${errno === undefined ? '' : ` (${errno})`}`;
    throw new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, `${label} failed: ${why}`, {
      retryable: true,
      context: { ...context, ...(errno === undefined ? {} : { errno }) },
      cause: new Error(String(e.code)),
    });
  } finally {
    via.close();
  }
  return {
    status: res.status,
    text: typeof res.data === 'string' ? res.data : '',
    headers: res.headers,
  };
}

/**
 * The transport failure of an axios error without the request: its code and message, and its
 * cause's (where Node puts the TLS verify result), never the config that holds the signed query
 * or the client credentials.
 */
function transportOnly(e: unknown): Error {
  const bare = (x: unknown): Error | undefined => {
    if (x === null || typeof x !== 'object') return undefined;
    const { code, message } = x as { code?: unknown; message?: unknown };
    return Object.assign(new Error(typeof message === 'string' ? message : 'transport error'), {
      ...(typeof code === 'string' ? { code } : {}),
    });
  };
  const outer = bare(e) ?? new Error('transport error');
  const inner = bare((e as { cause?: unknown } | null)?.cause);
  return inner ? Object.assign(outer, { cause: inner }) : outer;
}
