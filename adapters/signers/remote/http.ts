/**
 * One JSON request to the signing server with a timeout, and retries with exponential backoff and
 * full jitter on what a retry can fix: HTTP 5xx other than 501 and 505, 429 and 408, connection
 * errors and timeouts. A retry is safe: signing a digest again gives another valid signature of it,
 * and one is kept. Any other 4xx is final (bad auth or a bad request does not get better by asking
 * again), as are 501 and 505 (the request is not served at all). A 429 or 503 stating
 * `Retry-After` waits that long instead (RFC 9110 §10.2.3), up to the backoff cap: a wait longer
 * than the cap ends the request at once, retryable, rather than ask early again and again.
 */
import { request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import type { TlsSettings } from '../../../core/tls.js';
import { parseRetryAfter } from '../../platforms/shared/http-failure.js';
import { urlUnder } from '../../platforms/shared/platform-url.js';
import { answerText, httpsTlsError } from '../../tls-http.js';
import type { AuthHeaders } from './auth.js';
import { quotedErrorBody } from './server-text.js';

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
  /** Cap on one backoff delay, ms. @defaultValue {@link MAX_BACKOFF_MS} */
  maxBackoffMs?: number;
}

/**
 * Room in an answer for what is not a signature: the key and its certificate chain (PEM, a few KB
 * each), a request id, an error's words. With {@link ANSWER_SIGNATURE_BYTES}, what an answer can
 * legitimately hold: read past it, a server or a proxy's endless page grew the process until the
 * timeout ended the request (or memory ran out first).
 */
const ANSWER_ENVELOPE_BYTES = 256 * 1024;
/**
 * Room for one signature of a sign answer: a DER SM2 signature is at most 72 bytes, 96 in base64;
 * a JSON writer escaping `/` as `\/` or indenting its lists takes at most twice that and a line.
 */
const ANSWER_SIGNATURE_BYTES = 512;

/** The most bytes a signing server's answer carrying `signatures` signatures (0: the key's answer) is read to. */
export function signerAnswerLimit(signatures: number): number {
  return ANSWER_ENVELOPE_BYTES + signatures * ANSWER_SIGNATURE_BYTES;
}

/** What an answer that is not the signing server's API asks the operator to check. */
const CHECK_URL = "check that url is the signing server's API and not a proxy's or portal's page";

/** What an answer said of itself, as read. */
interface Answered {
  status: number;
  ok: boolean;
  retryAfter: string | undefined;
  /** The answer's `Date`: the server's clock, which an HTTP-date `Retry-After` is a time on. */
  date: string | undefined;
  contentType: string | undefined;
  location: string | undefined;
}

/** The media type an answer states (`text/html`), or says it states none; nothing else of the header. */
function mediaType(contentType: string | undefined): string {
  const type = /^\s*([\w.+-]+\/[\w.+-]+)/.exec(contentType ?? '')?.[1];
  return type === undefined ? 'no content type' : type.toLowerCase();
}

/** ` to <origin and path>` of a redirect's Location, read against the request's URL; '' when it names none. */
function redirectTarget(location: string | undefined, from: URL): string {
  if (location === undefined || location.trim() === '') return '';
  try {
    const to = new URL(location, from);
    // Its query and user info left out: a sign-in page's carries a ticket or a return address.
    return ` to ${to.origin}${to.pathname}`;
  } catch {
    return ' elsewhere';
  }
}

/** The longest wait between two attempts, ms, unless the signer's `maxBackoffMs` says otherwise (its schema default). */
export const MAX_BACKOFF_MS = 30_000;

export interface RequestSpec {
  signer: string;
  baseUrl: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  auth: AuthHeaders;
  policy: RetryPolicy;
  /** HTTPS agent carrying the signer's `tls:` settings (trust, client certificate). */
  agent?: HttpsAgent;
  /** The signer's `tls:`, for naming a refused handshake. */
  tls?: TlsSettings;
  /** Counts retries (for stats). */
  onRetry?: (reason: string) => void;
  /** Told of each wait the server asked for with `Retry-After`, before it is waited (for the log). */
  onServerWait?: (wait: ServerWait) => void;
  /** The signer's credentials, never quoted back from the server's text (./server-text.ts). @defaultValue none */
  credentials?: readonly string[];
  /** The clock an HTTP-date `Retry-After` is read against when the answer has no readable `Date`. @defaultValue `Date.now` */
  now?: () => number;
  /**
   * Aborted when the signer closes: no attempt starts after it, and a wait between attempts ends
   * at once. An attempt already sent is left to end (its answer is checked as any other).
   */
  closed?: AbortSignal;
  /**
   * How many signatures the answer carries, which sizes the most of it that is read
   * ({@link signerAnswerLimit}). @defaultValue 0 (an answer without signatures: the key's)
   */
  signatures?: number;
}

/** A wait a 429 or 503 answer asked for, as the request is about to wait it. */
export interface ServerWait {
  status: number;
  waitMs: number;
  /** The attempt that was answered so (1-based) and how many there are. */
  attempt: number;
  attempts: number;
}

/**
 * 5xx statuses that say the server, or a gateway in front of it, does not serve the request at all
 * (RFC 9110 §15.6.2, §15.6.6): asking again gets the same answer, so they are final, with what
 * they mean.
 */
const NEVER_SERVED: ReadonlyMap<number, string> = new Map([
  [501, 'the server does not implement this request'],
  [505, 'the server does not support the HTTP version of the request'],
]);

/** HTTP statuses a retry can fix: the server is busy, down for a moment, or gave up waiting (408). */
function retryableStatus(status: number): boolean {
  return (status >= 500 && !NEVER_SERVED.has(status)) || status === 429 || status === 408;
}

/** An answer that ran past its limit: cut off, the connection closed. */
class AnswerTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`answer over ${limit} bytes`);
  }
}

class Retryable extends Error {
  constructor(
    message: string,
    /** The status and `Retry-After` (ms) of a 429 or 503 that stated one. */
    readonly asked?: { status: number; retryAfterMs: number },
    /** The URL whose status this is, query and user info left out, when `message` does not name it. */
    readonly from?: string,
  ) {
    super(message);
  }
}

/** Waits `ms`, or less if `signal` aborts first (the caller looks at the signal after). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The signer closed: the request is not sent (again); retryable, so the job is taken up again. */
function closedError(spec: RequestSpec, attempt: number, attempts: number, last: string): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.SIGNER_FAILED,
    `signer ${spec.signer}: ${spec.method} ${spec.path}: the signer was closed before attempt ${attempt} of ${attempts}${last ? ` (${last}); not sent again` : '; not sent'}`,
    { context: { signer: spec.signer }, retryable: true },
  );
}

async function once(spec: RequestSpec): Promise<unknown> {
  const body = spec.body === undefined ? '' : JSON.stringify(spec.body);
  // Under the url's path, its query after the request's path (as for the HTTP targets); the
  // signature covers the path and query sent, which `/v1/keys/…` alone was not below a base path.
  let url: URL;
  try {
    url = urlUnder(spec.baseUrl, spec.path);
  } catch (e) {
    // The url itself is not echoed: it may carry credentials in its userinfo.
    throw new LicbridgeError(ErrorCodes.CONFIG_INVALID, `signer ${spec.signer}: url is not an absolute URL`, {
      context: { signer: spec.signer },
      cause: e,
    });
  }
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...spec.auth({ method: spec.method, path: `${url.pathname}${url.search}`, body }),
  };
  if (spec.body !== undefined) headers['content-type'] = 'application/json';
  // Which server and path answered, or did not: without the query (a tenant, a credential) and user info.
  const where = `${url.origin}${url.pathname}`;
  let res: Answered;
  let text: string;
  try {
    ({ res, text } = await send(spec, url, headers, body));
  } catch (e) {
    if (e instanceof AnswerTooLarge) throw new Retryable(tooLargeDetail(spec, url, e.limit));
    // A certificate problem does not get better by asking again: it fails at once, named.
    const tlsError = await httpsTlsError(
      e,
      `signer ${spec.signer}`,
      ErrorCodes.SIGNER_FAILED,
      spec.baseUrl,
      spec.tls,
      { signer: spec.signer },
    );
    // The server refused is named by its origin (host and port, never the url's query or user
    // info): what is wrong is the certificate, and which signing server served it the setting
    // alone did not say.
    if (tlsError) {
      throw new LicbridgeError(tlsError.code, `${tlsError.message}; signing server ${url.origin}`, {
        retryable: false,
        context: { ...tlsError.context, url: url.origin },
        cause: tlsError.cause,
      });
    }
    const name = (e as Error).name;
    // Which server did not answer: the signer's path alone does not say the host, nor the `url`'s own path.
    throw new Retryable(
      name === 'TimeoutError' || name === 'AbortError'
        ? `timed out after ${spec.policy.timeoutMs} ms waiting for ${where}`
        : `connection to ${where} failed: ${(e as Error).message}`,
    );
  }
  if (retryableStatus(res.status)) {
    const retryAfterMs =
      res.status === 429 || res.status === 503
        ? // An HTTP-date is on the server's clock: read against its answer's Date, not this host's
          // (a host ten minutes ahead waited nothing; one 30 minutes behind waited 32 for 2).
          // Whose header an unreadable one was, in its warning: the signer and the endpoint, as a
          // platform's names its target and endpoint (no userinfo, no query).
          parseRetryAfter(res.retryAfter, (spec.now ?? Date.now)(), res.date, `signer ${spec.signer}`, where)
        : undefined;
    // A wait of 0 (`0`, a date already past: a server clock behind; `-1` or `1.5`, which Date.parse
    // reads as dates in 2001) asks for none: the own backoff applies, as the delivery queue reads
    // it (pipelines/delivery-policy.ts `retryAfterOf`), rather than every attempt back to back.
    // The status alone is the detail a closed signer's error quotes; the URL goes with the final one.
    throw new Retryable(
      `HTTP ${res.status}`,
      retryAfterMs === undefined || retryAfterMs <= 0 ? undefined : { status: res.status, retryAfterMs },
      where,
    );
  }
  if (res.status >= 300 && res.status < 400) {
    // Not followed: the request carries the signer's credentials, and what a signing server's
    // API redirects to is a page in front of it (a portal's sign-in) or a url to correct.
    throw new LicbridgeError(
      ErrorCodes.SIGNER_FAILED,
      `signer ${spec.signer}: ${spec.method} ${spec.path}: HTTP ${res.status}: ${where} redirects${redirectTarget(res.location, url)}, not followed: ${CHECK_URL}`,
      { context: { signer: spec.signer, url: where } },
    );
  }
  const never = NEVER_SERVED.get(res.status);
  if (never !== undefined) {
    const said = quotedErrorBody(text, spec.credentials ?? []);
    throw new LicbridgeError(
      ErrorCodes.SIGNER_FAILED,
      `signer ${spec.signer}: ${spec.method} ${spec.path}: HTTP ${res.status} from ${where}: ${never}; not asked again (${CHECK_URL})${said === '' ? '' : `: ${said}`}`,
      { context: { signer: spec.signer, url: where } },
    );
  }
  if (!res.ok) {
    // The server's message is short operator text; masked (its error code kept whole), and capped
    // so a large page cannot flood a log. The URL that answered is in the context: the message
    // ends with the server's words.
    throw new LicbridgeError(
      ErrorCodes.SIGNER_FAILED,
      `signer ${spec.signer}: ${spec.method} ${spec.path}: HTTP ${res.status}: ${quotedErrorBody(text, spec.credentials ?? [])}`,
      { context: { signer: spec.signer, url: where } },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not the parser's message: V8 quotes the text it could not read, a short body whole.
    // Nor the body: a portal's or proxy's page in front of the server, as a rule, named by its type.
    throw new Retryable(`response is not JSON (${mediaType(res.contentType)} from ${where}): ${CHECK_URL}`);
  }
}

export async function requestJson(spec: RequestSpec): Promise<unknown> {
  const { attempts, backoffMs } = spec.policy;
  const cap = spec.policy.maxBackoffMs ?? MAX_BACKOFF_MS;
  let last = '';
  /** The URL that answered the last attempt's status, for the final error (`HTTP 503 from …`). */
  let lastFrom: string | undefined;
  // The server's Retry-After waited between attempts, ms: an error carrying a wait carries it too
  // (`waitedMs`), and the sign job counts it among its waits (sign-worker.ts).
  let waitedMs = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // A worker stopped, a command interrupted: what it closed sends nothing more, and a retry does
    // not keep its process alive for `attempts` more waits.
    if (spec.closed?.aborted) throw closedError(spec, attempt, attempts, last);
    try {
      return await once(spec);
    } catch (e) {
      if (!(e instanceof Retryable)) throw e;
      last = e.message;
      lastFrom = e.from;
      // The last attempt's wait is the server's word on when to ask again: the error carries it,
      // and the sign job waits it without spending an attempt (sign-worker.ts), where it was lost
      // and the job asked again after its own backoff.
      if (attempt === attempts && e.asked)
        throw lastAttemptWait(spec, attempts, last, e.asked.retryAfterMs, waitedMs, e.from);
      if (attempt === attempts) break;
      if (e.asked) {
        const { status, retryAfterMs } = e.asked;
        if (retryAfterMs > cap) throw tooLongAWait(spec, e.message, retryAfterMs, cap, waitedMs, e.from);
        spec.onRetry?.(last);
        spec.onServerWait?.({ status, waitMs: retryAfterMs, attempt, attempts });
        // The server's time, not our own schedule: asking a rate-limited server earlier only
        // spends an attempt on another refusal.
        await sleep(retryAfterMs, spec.closed);
        waitedMs += retryAfterMs;
        continue;
      }
      spec.onRetry?.(last);
      // Full jitter (a random delay up to the exponential bound) keeps many clients from retrying in step.
      await sleep(Math.random() * Math.min(cap, backoffMs * 2 ** (attempt - 1)), spec.closed);
    }
  }
  throw new LicbridgeError(
    ErrorCodes.SIGNER_FAILED,
    `signer ${spec.signer}: ${spec.method} ${spec.path}: failed after ${attempts} attempts: ${last}${lastFrom === undefined ? '' : ` from ${lastFrom}`}`,
    { context: { signer: spec.signer }, retryable: true },
  );
}

/** `; answered by <url>` to end a message about a status `from` answered with; '' without one. */
const answeredBy = (from: string | undefined) => (from === undefined ? '' : `; answered by ${from}`);

/** Seconds for a message: `1 s`, `1.5 s`. */
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The context of an error carrying the server's wait: and what this request waited of it already. */
function waitContext(spec: RequestSpec, retryAfterMs: number, waitedMs: number) {
  return { signer: spec.signer, retryAfterMs, ...(waitedMs > 0 ? { waitedMs } : {}) };
}

/**
 * A `Retry-After` past the cap: waiting the cap and asking again would be refused again, so the
 * request ends now, retryable. The error carries the server's wait as `retryAfterMs`, as the
 * targets' errors do: the sign job waits it out without spending an attempt (sign-worker.ts).
 */
function tooLongAWait(
  spec: RequestSpec,
  detail: string,
  retryAfterMs: number,
  cap: number,
  waitedMs: number,
  from: string | undefined,
): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.SIGNER_FAILED,
    `signer ${spec.signer}: ${spec.method} ${spec.path}: ${detail}: the server asks to wait ${seconds(retryAfterMs)} (Retry-After), longer than the ${seconds(cap)} this signer waits; giving up for now${answeredBy(from)}`,
    { context: waitContext(spec, retryAfterMs, waitedMs), retryable: true },
  );
}

/** Every attempt spent, the last one answered with a `Retry-After`: retryable, carrying the wait. */
function lastAttemptWait(
  spec: RequestSpec,
  attempts: number,
  detail: string,
  retryAfterMs: number,
  waitedMs: number,
  from: string | undefined,
): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.SIGNER_FAILED,
    `signer ${spec.signer}: ${spec.method} ${spec.path}: failed after ${attempts} attempts: ${detail}: the server asks to wait ${seconds(retryAfterMs)} (Retry-After)${answeredBy(from)}`,
    { context: waitContext(spec, retryAfterMs, waitedMs), retryable: true },
  );
}

/** What an answer cut off at `limit` says: what it could hold, and what to check (the url, not the server's words). */
function tooLargeDetail(spec: RequestSpec, url: URL, limit: number): string {
  const n = spec.signatures ?? 0;
  const holds = n === 0 ? "a key's answer" : `an answer of ${n} signature${n === 1 ? '' : 's'}`;
  return `the answer from ${url.origin} is larger than the ${limit} bytes ${holds} can hold; cut off: check that url is the signing server's API and not a proxy's or portal's page`;
}

/** One request over node:http(s), so HTTPS goes through the signer's agent and its TLS settings. */
function send(
  spec: RequestSpec,
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<{ res: Answered; text: string }> {
  const https = url.protocol === 'https:';
  const limit = signerAnswerLimit(spec.signatures ?? 0);
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(
      url,
      {
        method: spec.method,
        headers:
          spec.body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
        signal: AbortSignal.timeout(spec.policy.timeoutMs),
        ...(https && spec.agent ? { agent: spec.agent } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        // Only what the answer can hold is read: past it (or a Content-Length saying so), the
        // connection is closed and nothing more is kept.
        const tooLarge = () => {
          req.destroy();
          reject(new AnswerTooLarge(limit));
        };
        if (Number(response.headers['content-length']) > limit) return tooLarge();
        response.on('data', (c: Buffer) => {
          bytes += c.length;
          if (bytes > limit) return tooLarge();
          chunks.push(c);
        });
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const { 'retry-after': retryAfter, date, 'content-type': contentType, location } = response.headers;
          resolve({
            res: { status, ok: status >= 200 && status < 300, retryAfter, date, contentType, location },
            // As a platform's answer: a byte order mark, else the charset it names (GBK, UTF-16).
            text: answerText(Buffer.concat(chunks), contentType) as string,
          });
        });
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(spec.body === undefined ? undefined : body);
  });
}
