/**
 * Reads the license-type definitions a REST/JSON platform publishes (`GET <url><catalogPath>`,
 * answering `{ "code": 0, "types": [ … ] }`), authenticated like every other request to it.
 */
import { type Defaulted, withSchemaDefaults } from '../../../config/schema-defaults.js';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import { platformHttp } from '../../tls-http.js';
import { answerCode } from '../shared/answer-code.js';
import { CATALOG_ANSWER_BYTES } from '../shared/answer-size.js';
import { createAuthStrategy } from '../shared/auth/create-auth.js';
import { credentialsNotMade } from '../shared/auth/credentials-failure.js';
import type { TokenShare } from '../shared/auth/token-share.js';
import { type SentCredentials, withRenewal } from '../shared/auth/with-renewal.js';
import {
  endpointOf,
  errorFromAnswer,
  errorFromNoAnswer,
  errorFromStatus,
  type FailureWhere,
  failedUnexpectedly,
  isBusyCode,
} from '../shared/http-failure.js';
import { urlUnder } from '../shared/platform-url.js';
import { SendPause } from '../shared/send-pause.js';
import type { RestJsonTargetConfig } from './config.js';
import { restJsonKind } from './kind.js';

interface Answer {
  status: number;
  data: unknown;
  headers: Record<string, unknown>;
}

/** The documented answer's fields, as far as a 200's body holds them. */
interface CatalogAnswer {
  code?: unknown;
  types?: unknown;
}

/**
 * The entries of the answer's `types`, as published: whether each is a usable license type (an
 * object with a `code` and a `name`) is the caller's to judge and to report, entry by entry.
 * With `tokenShare`, the request signs with the token (or refreshed secret) the deployment's
 * workers share, rather than fetching one that would retire theirs (../shared/auth/token-share.ts).
 * What the auth strategy warns of (the share out of reach, a token lifetime assumed) goes to
 * `logger`, the command's; the root logger when none is given.
 */
export async function fetchCatalogTypes(
  target: string,
  config: RestJsonTargetConfig,
  options: { tokenShare?: TokenShare; logger?: Logger } = {},
): Promise<unknown[]> {
  const { catalogPath } = withSchemaDefaults(restJsonKind.schema, config) as Defaulted<
    RestJsonTargetConfig,
    'catalogPath'
  >;
  const url = urlUnder(config.url, catalogPath);
  // `now` as each failure is read: an HTTP-date Retry-After in an answer without `Date` is read
  // against it (../shared/http-failure.ts parseRetryAfter). Taken as the pull began, before the
  // token was fetched, the wait was longer by as long as the token took, and so was the hold on
  // the target's requests.
  const where = (): FailureWhere => ({
    target,
    origin: url.origin,
    now: Date.now(),
    action: 'catalog request',
    // Named with a 404 (a wrong path in `url` or `catalogPath`), as deliveries name theirs.
    endpoint: endpointOf(url),
    pathFrom: "the target's url and its catalogPath",
  });
  // The same connection as deliveries: the target's `tls` (a government CA, the unit's client
  // certificate) applies to its catalog too.
  const { http, close } = platformHttp(config.timeoutMs, config.tls);
  const auth = createAuthStrategy(config.auth, {
    connection: { target, url: config.url, tls: config.tls, http },
    ...(options.tokenShare ? { tokenShare: options.tokenShare } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  // The wait the platform asked every caller for (Retry-After), the target's deliveries' and
  // lookups' (../shared/send-pause.ts): the catalog request is not sent during it, and its own
  // 429 or 503 with Retry-After starts it. It was sent into a wait, and its own was read without
  // its Retry-After: the pull's error said nothing of how long to wait, and held nothing back.
  const pause = new SendPause(target, url.origin);
  const textOf = (answer: Answer): string => (typeof answer.data === 'string' ? answer.data : '');
  // Whether the request was sent once already: its retry after a 401 is not unsent.
  let sentBefore = false;
  const getOnce = async (sent: SentCredentials): Promise<{ answer: Answer; doc: CatalogAnswer }> => {
    let answer: Answer;
    try {
      // Held before its credentials are made too: not sent during the wait, it needs no token
      // yet, and one fetched may retire the deliveries' where issuing a token retires the last.
      // A retry after a 401 held so is not unsent: its first send reached the platform.
      pause.hold('catalog request', sentBefore);
      // Not made: unsent, as a batch's (rest-json-target.ts postOnce); a strategy's own fault after
      // a first send named, thrown bare it named no target and kept no cause.
      const path = `${url.pathname}${url.search}`;
      const headers = await auth.headers({ method: 'GET', path, body: '' }).catch((e: unknown) => {
        if (!sentBefore)
          throw credentialsNotMade(e, target, { action: 'catalog request', origin: url.origin });
        throw isLicbridgeError(e) ? e : failedUnexpectedly(target, 'catalog request', url.origin, e);
      });
      sent.headers = headers;
      // Looked at last thing before the send: a wait may have begun while credentials were made.
      pause.hold('catalog request', sentBefore);
      sentBefore = true;
      answer = await http.request({
        method: 'GET',
        url: url.href,
        maxContentLength: CATALOG_ANSWER_BYTES,
        headers: { accept: 'application/json', ...headers },
      });
    } catch (e) {
      // A token that could not be had says so itself (it may name another host than the catalog's).
      if (isLicbridgeError(e)) throw e;
      const noAnswer = await errorFromNoAnswer(e, where(), config.url, config.tls);
      if (noAnswer) throw noAnswer;
      // The client's own fault, wrapped as a batch's or a lookup's: thrown bare, it named no
      // target, no platform and nothing of a catalog being pulled.
      throw failedUnexpectedly(target, 'catalog request', url.origin, e);
    }
    // Refused credentials are renewed and tried once more, as for deliveries: a rotated app
    // secret refused the catalog where a delivery with the same config fetched the new one.
    if (answer.status === 401 || answer.status === 403)
      throw errorFromStatus(answer.status, textOf(answer), undefined, where());
    // So are they written as a code of 401 or 403 in a 200 (a gateway answering every request 200,
    // as deliveries and lookups read it): taken for an answer that is not the catalog, they were
    // never renewed.
    const doc = answer.status === 200 ? parsed(textOf(answer)) : {};
    const code = answerCode(doc.code);
    if (code === 401 || code === 403) throw errorFromAnswer(code, textOf(answer), where());
    return { answer, doc };
  };
  let res: { answer: Answer; doc: CatalogAnswer };
  try {
    res = await pause.noting(() =>
      withRenewal(auth, getOnce, (e) => failedUnexpectedly(target, 'catalog request', url.origin, e)),
    );
  } finally {
    close();
  }
  const { answer, doc } = res;
  const retryAfter = answer.headers['retry-after'];
  // An HTTP-date Retry-After is read against the answer's own Date (../shared/http-failure.ts).
  const answered: FailureWhere = {
    ...where(),
    answerDate: answer.headers.date,
    location: answer.headers.location,
  };
  if (answer.status !== 200) {
    const error = errorFromStatus(
      answer.status,
      textOf(answer),
      typeof retryAfter === 'string' ? retryAfter : undefined,
      answered,
    );
    pause.note(error);
    throw error;
  }
  // The code a number, or its digits as a string (../shared/answer-code.ts).
  const code = answerCode(doc.code);
  // A busy status written as the code of a 200 (a gateway answering every request 200), read as
  // the deliveries read it: retryable, with its Retry-After, which holds the target's requests.
  if (code !== undefined && isBusyCode(code)) {
    const error = errorFromAnswer(code, textOf(answer), answered, retryAfter);
    pause.note(error);
    throw error;
  }
  if (code !== 0 || !Array.isArray(doc.types)) {
    throw new LicbridgeError(
      ErrorCodes.TARGET_REJECTED,
      `target ${target}: catalog from ${url.origin} failed: answer is not { code: 0, types: [...] }`,
      {
        context: { target },
      },
    );
  }
  return doc.types;
}

/** The answer as JSON, or nothing of it when it is not JSON. */
function parsed(text: string): CatalogAnswer {
  try {
    const doc: unknown = JSON.parse(text);
    return typeof doc === 'object' && doc !== null ? doc : {};
  } catch {
    return {};
  }
}
