/**
 * Reading back what the province platform holds, for reconciliation:
 * - `lookup(ids)`: `GET <url>/licenses/:licenseId` per id (a few at a time); the platform's own
 *   not-found answer (a 404 of `{"code":404,"reason":"not-found"}`) means absent, any other 404 fails;
 * - `list()`: `GET <url>/licenses/current?after=<licenseId>&limit=N`, pages in license-id order,
 *   until an empty page (pages may vary in size: fewer than N is not the end).
 *
 * The platform keeps its own field names and code lists; each answer is mapped back to the
 * canonical `License` (./platform-entry.ts, the inverse of shared/platform-license.ts) and hashed
 * the way the ledger hashes content, so "platform content ≠ ledger content" is a comparison of two SM3 hashes over
 * the same canonical form. Fields the platform does not echo cannot be compared; the simulator
 * and the province API echo all of them. An entry that cannot be read back (no version number, no
 * license id, content that cannot be hashed) is given as a record marked `unreadable`, never left out.
 */
import type { AxiosInstance } from 'axios';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../../core/errors.js';
import type { TlsSettings } from '../../../core/tls.js';
import { answerCode } from '../shared/answer-code.js';
import { platformAnswerLimit } from '../shared/answer-size.js';
import type { AuthStrategy } from '../shared/auth/auth-strategy.js';
import { credentialsNotMade } from '../shared/auth/credentials-failure.js';
import { type SentCredentials, withRenewal } from '../shared/auth/with-renewal.js';
import { type CodeLists, NATIONAL_CODES } from '../shared/code-lists.js';
import { parseKeepingIds } from '../shared/exact-ids.js';
import {
  endpointDetail,
  endpointOf,
  errorFromAnswer,
  errorFromNoAnswer,
  errorFromStatus,
  failedUnexpectedly,
} from '../shared/http-failure.js';
import { urlUnder } from '../shared/platform-url.js';
import type { SendPause } from '../shared/send-pause.js';
import type { PlatformRecord } from '../target.js';
import { UNREADABLE_REASONS } from '../unreadable-reasons.js';
import { PLATFORM_ID_KEYS } from './batch-wire.js';
import { fromPlatformEntry, LICENSE_ID_FIELDS } from './platform-entry.js';
import { unreadableEntry, whyUnreadable } from './unreadable-entry.js';

export interface LookupDeps {
  name: string;
  /** Base URL without a trailing slash. */
  baseUrl: string;
  http: AxiosInstance;
  auth: AuthStrategy;
  codes?: CodeLists;
  /** The target's `tls`: what a refused certificate of the platform's server is named against. */
  tls?: TlsSettings | undefined;
  /**
   * The wait the platform asked every caller for (Retry-After), shared with the target's deliveries
   * (../shared/send-pause.ts): a lookup is not sent during it, and one answered so starts it.
   * @defaultValue none: lookups neither wait nor start a wait
   */
  pause?: SendPause;
}

/** Fields read with every digit when a platform writes them as long integers: ids and identifiers. */
const READ_BACK_ID_KEYS: ReadonlySet<string> = new Set([...PLATFORM_ID_KEYS, ...LICENSE_ID_FIELDS]);

/** Requests in flight at once during `lookup`. */
const LOOKUP_CONCURRENCY = 8;

export function createLookup(deps: LookupDeps): {
  lookup(licenseIds: readonly string[]): Promise<PlatformRecord[]>;
  list(options?: { chunkSize?: number; signal?: AbortSignal }): AsyncIterable<PlatformRecord[]>;
} {
  const codes = deps.codes ?? NATIONAL_CODES;
  const base = new URL(deps.baseUrl);

  // Refused credentials (a rotated secret, a retired token) are renewed once, as for deliveries:
  // a process that only reconciles would otherwise fail every check until a delivery renewed them.
  // `records`: how many license records the answer may carry, which sizes what of it is read.
  // `action` names the request in its failures: a listing page's said `lookup`, one license's read.
  function get(at: string, records: number, action: ReadAction, signal?: AbortSignal): Promise<Answer> {
    const tries = { left: false };
    const request = () =>
      withRenewal(
        deps.auth,
        (sent) => getOnce(at, records, action, sent, tries, signal),
        (e) => failedUnexpectedly(deps.name, action, base.origin, e),
      );
    return deps.pause ? deps.pause.noting(request) : request();
  }

  async function getOnce(
    pathAndQuery: string,
    records: number,
    action: ReadAction,
    sent: SentCredentials,
    tries: { left: boolean },
    signal?: AbortSignal,
  ): Promise<Answer> {
    // Under the base's path, its query kept (../shared/platform-url.ts), which this read dropped.
    const url = urlUnder(deps.baseUrl, pathAndQuery);
    const path = `${url.pathname}${url.search}`;
    // Held before its credentials are made too: a read-back is not sent during the wait, so a
    // token coming due then is not needed yet (rest-json-target.ts postOnce). A retry after a 401
    // held so is not unsent: its first send reached the platform (`tries.left`).
    deps.pause?.hold(action, tries.left);
    // Not made: unsent, as a batch's (rest-json-target.ts postOnce); a strategy's own fault after
    // a first send (the retry after a 401) named, thrown bare it named no target and kept no cause.
    const headers = await deps.auth.headers({ method: 'GET', path, body: '' }).catch((e: unknown) => {
      if (!tries.left) throw credentialsNotMade(e, deps.name, { action, origin: base.origin });
      throw isLicbridgeError(e) ? e : failedUnexpectedly(deps.name, action, base.origin, e);
    });
    sent.headers = headers;
    // Looked at last thing before the send, as a batch upload is: a reconcile check or a repair's
    // read-back sent its requests into the wait the platform asked every caller for.
    deps.pause?.hold(action, tries.left);
    let response: { status: number; data: unknown; headers?: Record<string, unknown> };
    try {
      tries.left = true;
      response = await deps.http.request({
        method: 'GET',
        url: `${base.origin}${path}`,
        headers: { accept: 'application/json', ...headers },
        maxContentLength: platformAnswerLimit(records),
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      // As a batch upload's or a status request's (../shared/http-failure.ts): an answer cut off at
      // its limit, a refused certificate named, else the connection's code (`errno`), which says
      // `unreachable` or `timeout` (../shared/failure-kind.ts), and a cause of that code and the
      // message only. The error said neither before, and its cause was the HTTP client's error,
      // which holds the request's headers: the token or signature sent.
      const where = { target: deps.name, origin: base.origin, now: Date.now(), action };
      const noAnswer = signal?.aborted
        ? undefined
        : await errorFromNoAnswer(e, where, deps.baseUrl, deps.tls);
      if (noAnswer) throw noAnswer;
      // A fault of the client's own is no platform out of reach: read so, it was retried, its
      // text (which may quote anything) in the message and the fault itself lost.
      if (!signal?.aborted) throw failedUnexpectedly(deps.name, action, base.origin, e);
      // Stopped by the caller (a check's signal): said as it is.
      const text = e instanceof Error ? e.message : String(e);
      const message = `target ${deps.name}: ${action} failed: ${text}`;
      throw new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, message, {
        retryable: true,
        context: { target: deps.name },
        cause: new Error(text),
      });
    }
    let doc: unknown;
    try {
      doc = parseKeepingIds(typeof response.data === 'string' ? response.data : '', READ_BACK_ID_KEYS);
    } catch {
      doc = undefined;
    }
    if (response.status === 401 || response.status === 403) {
      throw new LicbridgeError(
        ErrorCodes.TARGET_AUTH,
        `target ${deps.name}: ${action} refused: HTTP ${response.status}`,
        {
          context: { target: deps.name },
        },
      );
    }
    // A 200 that is not the documented answer (a maintenance page, a busy code) says nothing about
    // what the platform holds: read as "absent", every license would be missing-at-platform.
    // A number, or its digits as a string: a `"503"` taken for no code passed a busy page as a
    // good one, and a listing ended there (../shared/answer-code.ts).
    const code = answerCode((doc as { code?: unknown } | null | undefined)?.code);
    // The platform's not-found answer in a 200 (a gateway answering every request 200 keeps the
    // body): the license absent, as in a 404. Read as a refusal, a check failed whenever the
    // platform lacked a license, which is what it is there to report.
    const notFound = response.status === 200 && isNotFoundAnswer(doc);
    if (
      !notFound &&
      response.status === 200 &&
      (typeof doc !== 'object' || doc === null || (code !== undefined && code !== 0))
    ) {
      const text = typeof response.data === 'string' ? response.data : '';
      const where = {
        target: deps.name,
        origin: base.origin,
        now: Date.now(),
        action,
        answerDate: response.headers?.date,
      };
      throw errorFromAnswer(
        code,
        text,
        { ...where, refusalRetryable: true },
        response.headers?.['retry-after'],
      );
    }
    const retryAfter = response.headers?.['retry-after'];
    return {
      status: response.status,
      ...(notFound ? { notFound } : {}),
      doc,
      contentType: response.headers?.['content-type'],
      text: typeof response.data === 'string' ? response.data : '',
      ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
      answerDate: response.headers?.date,
      location: response.headers?.location,
      endpoint: endpointOf(url),
      action,
    };
  }

  /**
   * An answer that is neither 200 nor the platform's not-found, read as a batch upload's status is
   * (../shared/http-failure.ts): 429, 408 and 5xx retryable with the `Retry-After` asked for, a
   * refusal of the request retryable as a refusal in a 200's code is above. Failed as "expected
   * HTTP 200 or 404" and retryable only for 5xx, the platform's rate limit (429, which eight
   * lookups at once meet) failed a scheduled full check for good at its first attempt.
   */
  const unexpected = (a: Answer): LicbridgeError => {
    const error = errorFromStatus(a.status, a.text, a.retryAfter, {
      target: deps.name,
      origin: base.origin,
      now: Date.now(),
      action: a.action,
      refusalRetryable: true,
      answerDate: a.answerDate,
      location: a.location,
      endpoint: a.endpoint,
    });
    // Its Retry-After (a 429, a 503) asks every caller to wait: the deliveries too.
    deps.pause?.note(error);
    return error;
  };

  // Every entry becomes a record: one that cannot be read back into a license is marked unreadable
  // (never dropped), or a license only the platform holds, or one altered there beyond mapping,
  // would never be reported.
  const toRecord = (entry: unknown, position?: number): PlatformRecord => {
    const record = fromPlatformEntry(entry, codes);
    if (record?.contentHash !== undefined) return record;
    const why = record ? UNREADABLE_REASONS.contentNotHashable : whyUnreadable(entry);
    return unreadableEntry(entry, why, position);
  };

  return {
    async lookup(licenseIds) {
      const out: PlatformRecord[] = [];
      const ids = [...new Set(licenseIds)];
      for (let i = 0; i < ids.length; i += LOOKUP_CONCURRENCY) {
        const answers = await Promise.all(
          ids
            .slice(i, i + LOOKUP_CONCURRENCY)
            .map(async (id) => ({ id, ...(await get(`/licenses/${encodeURIComponent(id)}`, 1, 'lookup')) })),
        );
        for (const a of answers) {
          if (a.notFound || (a.status === 404 && isNotFoundAnswer(a.doc))) continue;
          if (a.status === 404) throw notTheNotFoundAnswer(deps.name, a);
          if (a.status !== 200) throw unexpected(a);
          const record = toRecord((a.doc as { current?: unknown } | undefined)?.current);
          // The platform answered for this id: an entry it altered is that license's, whatever it names.
          if (record.unreadable) {
            out.push({ ...record, licenseId: a.id });
            continue;
          }
          // A readable entry of another license (a gateway's cache keyed on less than the path, a
          // platform matching ids by prefix or answering with the license that continues this one)
          // says nothing of this one. Kept under the id it names, this license showed
          // missing-at-platform, re-sent by a repair, and the other license was compared with what
          // was asked of this one. White space around this id is the check's to tell (padded-id.ts).
          if (record.licenseId.trim() !== a.id) throw anotherLicense(deps.name, a.id, record.licenseId);
          out.push(record);
        }
      }
      return out;
    },

    async *list(options = {}) {
      const limit = Math.max(1, Math.min(options.chunkSize ?? 500, 1000));
      let after = '';
      let listed = 0;
      // The platform's answer carries no total and no cursor of its own: only an empty page says
      // the listing has ended. A page shorter than asked, or than the pages before it, is not the
      // last: a platform's own page limit may be lower than the one asked (100 for 500), its pages
      // capped by bytes, or filtered after its limit is applied. Ended there, every license after
      // it showed missing at the platform. A platform that answers the same page whatever `after`
      // asks is stopped below: the page's last license id does not move the listing on.
      for (let page = 1; ; page++) {
        const query = `?after=${encodeURIComponent(after)}&limit=${limit}`;
        const a = await get(`/licenses/current${query}`, limit, 'listing request', options.signal);
        if (a.status !== 200) throw unexpected(a);
        const items = (a.doc as { items?: unknown } | undefined)?.items;
        // Only an `items` array is the documented page: an answer without one (wrapped in `data`,
        // renamed, null) says nothing of what the platform holds. Taken for an empty page, it ended
        // the listing and every license after it showed missing there, re-sent by a repair. The
        // page is named, never the body (it may hold holders' names and ID numbers).
        if (!Array.isArray(items)) {
          throw new LicbridgeError(
            ErrorCodes.TARGET_REJECTED,
            `target ${deps.name}: listing failed: page ${page} (after ${after === '' ? 'the start' : after}) has no \`items\` array; licenses cannot be compared with it`,
            { context: { target: deps.name } },
          );
        }
        if (items.length === 0) return;
        const records = items.map((entry, i) => toRecord(entry, listed + i + 1));
        listed += items.length;
        yield records;
        // Moved on by the page's own last entry: one that cannot be mapped must not bring the same page back.
        const last = (items[items.length - 1] as { licenseId?: unknown } | null)?.licenseId;
        const named = records.filter((r) => r.licenseId !== '');
        const next = typeof last === 'string' ? last : (named[named.length - 1]?.licenseId ?? after);
        if (next === after) {
          // No entry of the page names a license to go on after: asked again, the platform gives the
          // same page. Short or full, it may hide more behind it (pages vary in size, see above),
          // which must not be taken for missing; only an empty page ends the listing.
          throw new LicbridgeError(
            ErrorCodes.TARGET_REJECTED,
            `target ${deps.name}: listing cannot go on: no entry of the page at listing entry ${listed - items.length + 1} names a license id to list after; licenses cannot be compared with it`,
            { context: { target: deps.name } },
          );
        }
        after = next;
      }
    },
  };
}

/**
 * What one GET of the platform answered: status, the JSON body read (or undefined), its content
 * type, its text, its `Retry-After` and its `Date`.
 */
interface Answer {
  status: number;
  doc: unknown;
  contentType?: unknown;
  text: string;
  retryAfter?: string;
  /** Its `Date` header, which an HTTP-date `Retry-After` is read against. */
  answerDate?: unknown;
  /** Its `Location` header, named when the answer is a redirect (not followed). */
  location?: unknown;
  /** Where it was asked, without userinfo or query (../shared/http-failure.ts `endpointOf`). */
  endpoint: string;
  /** A 200 holding the platform's not-found answer ({@link isNotFoundAnswer}): the license absent. */
  notFound?: true;
  /** The request it answered, as its failure names it. */
  action: ReadAction;
}

/** A read-back's request: one license's (`lookup`) or a listing page's. */
type ReadAction = 'lookup' | 'listing request';

/**
 * The platform's own answer for a license it does not hold: `{"code":404,"reason":"not-found"}`,
 * the code a number or its digits (../shared/answer-code.ts). A gateway's 404 for a route it does
 * not know (an HTML page, a JSON error of another shape, an empty body) is not it.
 */
function isNotFoundAnswer(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as { code?: unknown; reason?: unknown };
  return answerCode(d.code) === 404 && d.reason === 'not-found';
}

/** A content type's media type alone (`text/html`), when it reads as one; never free text. */
function mediaTypeOf(contentType: unknown): string {
  const type = typeof contentType === 'string' ? contentType.split(';')[0]?.trim().toLowerCase() : undefined;
  if (type === undefined || type === '') return 'no content type';
  return /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/.test(type)
    ? type
    : 'an unreadable content type';
}

/**
 * A 404 that is not the platform's not-found answer says nothing of the license: read as absent,
 * every license of a check was missing at the platform, and a repair re-delivered them all. It
 * names the target, the status, the content type and the endpoint refused (without the url's
 * userinfo or query, as a batch upload's 404 names it: ../shared/http-failure.ts
 * `endpointDetail`), never the body (it may quote the license). It named no endpoint, and a wrong
 * path in the target's `url` was for the operator to guess.
 */
function notTheNotFoundAnswer(name: string, answer: Answer): LicbridgeError {
  const contentType = mediaTypeOf(answer.contentType);
  const { endpoint } = answer;
  const where = endpointDetail(answer.status, { origin: new URL(endpoint).origin, endpoint });
  return new LicbridgeError(
    ErrorCodes.TARGET_REJECTED,
    `target ${name}: lookup failed: HTTP ${answer.status} (${contentType}) is not the platform's not-found answer (a route missing at a gateway?)${where}; licenses cannot be compared with it`,
    { retryable: true, context: { target: name, status: answer.status, contentType } },
  );
}

/**
 * A lookup of `asked` answered with a readable entry of another license. Named by license ids
 * (the platform's only when it reads as one: no free text), never the entry's content.
 */
function anotherLicense(name: string, asked: string, named: string): LicbridgeError {
  const other = /^[\x21-\x7e]{1,128}$/.test(named) ? named : 'an id that is none';
  return new LicbridgeError(
    ErrorCodes.TARGET_REJECTED,
    `target ${name}: lookup failed: the answer for license ${asked} is the entry of another license (${other}); licenses cannot be compared with it`,
    { retryable: true, context: { target: name, licenseId: asked } },
  );
}
