/**
 * The REST/JSON platform adapter (the province platform's upload API): POSTs batches of licenses
 * to `<url>/licenses/batch` and maps the per-item answers to delivery outcomes.
 *
 * Exactly-once rests on the platform: every item carries its delivery key
 * (`<licenseId>:<version>:<target>`) and the platform answers a key it already holds with the same
 * platform id, so a retried batch changes nothing there.
 */
import { randomUUID } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../../core/errors.js';
import { platformHttp } from '../../tls-http.js';
import { platformAnswerLimit } from '../shared/answer-size.js';
import type { AuthOptions, AuthStrategy } from '../shared/auth/auth-strategy.js';
import { createAuthStrategy } from '../shared/auth/create-auth.js';
import { credentialsNotMade } from '../shared/auth/credentials-failure.js';
import { type SentCredentials, withRenewal } from '../shared/auth/with-renewal.js';
import { failedBy, failedRequest, pollInBatches, sendInBatches } from '../shared/batches.js';
import { type CodeLists, codeListsFor } from '../shared/code-lists.js';
import {
  endpointOf,
  errorFromAnswer,
  errorFromNoAnswer,
  errorFromStatus,
  type FailureWhere,
  failedUnexpectedly,
} from '../shared/http-failure.js';
import { resultsByKey } from '../shared/key-results.js';
import { PayloadError } from '../shared/platform-license.js';
import { urlUnder } from '../shared/platform-url.js';
import { buildingBody, maxBatchBytesOf, tooLargeAlone } from '../shared/request-bytes.js';
import { partNotBuilt } from '../shared/request-not-built.js';
import { SendPause } from '../shared/send-pause.js';
import type {
  DeliveryItem,
  DeliveryOutcome,
  PlatformRecord,
  SubmittedDelivery,
  TargetAdapter,
  TargetFileRule,
} from '../target.js';
import { batchIdempotencyKey, bodyOfTexts } from './batch-body.js';
import { frameBytes, itemBytes } from './batch-bytes.js';
import {
  type Answer,
  answersPerItem,
  type BatchRequestItem,
  parseBatchResponse,
  toBatchItem,
  unreadableOf,
} from './batch-wire.js';
import type { RestJsonTargetConfig } from './config.js';
import { type LicenseFilesOption, licenseFilesOptionOf } from './file-options.js';
import { type FilePart, type LoadedFile, loadFile, multipartBody, withFile } from './file-wire.js';
import { createLookup } from './lookup.js';
import { answerOutcome, itemOutcome } from './outcome.js';

export interface RestJsonTargetOptions extends AuthOptions {
  /** Replaces the strategy built from `config.auth` (for schemes configured in code). */
  auth?: AuthStrategy;
}

interface Prepared {
  index: number;
  item: DeliveryItem;
  wire: BatchRequestItem;
  /** What it adds to a request body (batch-bytes.ts). */
  bytes: number;
  /** Its JSON, kept when it carries no file (serialised once for its size and its request). */
  text?: string;
}

/** A request about to be sent: a batch (with its identities and file parts) or a status request. */
interface Request {
  json: string;
  /** Results read from the answer: one per item or key. */
  count: number;
  identities?: readonly string[];
  parts?: readonly FilePart[];
}

export class RestJsonTarget implements TargetAdapter {
  readonly kind = 'rest-json';
  private readonly batchUrl: URL;
  private readonly statusUrl: URL;
  private readonly codes: CodeLists;
  private readonly origin: string;
  private lookupReader: ReturnType<typeof createLookup> | undefined;
  private readonly auth: AuthStrategy;
  private readonly clock: () => number;
  private readonly http: AxiosInstance;
  private readonly closeHttp: () => void;
  private readonly files: LicenseFilesOption;
  private readonly maxBatchBytes: number;
  /** The wait the platform asked every caller for, shared by this process's requests to it. */
  private readonly pause: SendPause;
  readonly licenseFiles?: TargetFileRule;

  constructor(
    readonly name: string,
    private readonly config: RestJsonTargetConfig,
    options: RestJsonTargetOptions = {},
  ) {
    try {
      this.batchUrl = urlUnder(config.url, '/licenses/batch');
    } catch (e) {
      // The URL itself is not echoed: it may carry credentials in its userinfo.
      throw new LicbridgeError(ErrorCodes.USAGE, `target ${name}: url is not an absolute URL`, {
        context: { target: name },
        cause: e,
      });
    }
    this.statusUrl = urlUnder(config.url, '/licenses/status');
    this.origin = this.batchUrl.origin;
    this.pause = new SendPause(name, this.origin);
    this.codes = codeListsFor(config.codes);
    this.clock = options.clock ?? Date.now;
    ({ http: this.http, close: this.closeHttp } = platformHttp(config.timeoutMs, config.tls));
    // Token and secret requests to the platform's host go over this connection, with its `tls`.
    this.auth =
      options.auth ??
      createAuthStrategy(config.auth, {
        ...options,
        connection: { target: name, url: config.url, tls: config.tls, http: this.http },
      });
    this.files = licenseFilesOptionOf(config.licenseFiles);
    // A loaded config has it already; one built in code gets it from the same schema.
    this.maxBatchBytes = maxBatchBytesOf(config);
    if (this.files.send !== 'off') {
      this.licenseFiles = { maxBytes: this.files.maxBytes, whenMissing: this.files.whenMissing };
    }
  }

  async deliver(items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> {
    const outcomes: Array<DeliveryOutcome | undefined> = new Array(items.length);
    const sendable: Prepared[] = [];
    const withFiles = this.files.send !== 'off';
    items.forEach((item, index) => {
      try {
        const wire = toBatchItem(item, this.codes);
        if (item.file && withFiles) {
          const bytes = itemBytes(wire, item.file, this.files, this.config.batchSize);
          sendable.push({ index, item, wire, bytes });
        } else {
          const text = JSON.stringify(wire);
          sendable.push({ index, item, wire, text, bytes: Buffer.byteLength(text, 'utf8') + 1 });
        }
      } catch (e) {
        // Any other fault (of the mapping, of JSON): its own, unsent and final (shared/request-not-built.ts).
        const request = { action: 'batch upload', to: this.origin, part: 'batch item' };
        // A license the platform's format cannot express would be rejected there too; say why here.
        outcomes[index] =
          e instanceof PayloadError
            ? { key: item.key, state: 'rejected', reasons: [`licbridge: ${e.message}`] }
            : partNotBuilt(this.name, request, item, e);
      }
    });

    const upload = { target: this.name, action: 'batch upload', to: this.origin };
    // The request on its way: one failing before any was answered fails the call, saying whose
    // licenses it carried (the rest never left this host: shared/batches.ts failedRequest).
    let current: readonly Prepared[] = [];
    const send = async (chunk: readonly Prepared[]) => {
      current = chunk;
      // Only this request's files are read, and let go with it: a delivery's files read up front
      // were all held while its requests went, up to 100 of licenseFiles.maxBytes.
      const loaded = await Promise.all(
        chunk.map((p) => (p.text === undefined ? loadFile(this.name, this.origin, p.item) : undefined)),
      );
      // A multipart target gets every batch as a form, with or without files in it.
      const parts: FilePart[] | undefined = this.files.send === 'multipart' ? [] : undefined;
      const batch = buildingBody(upload, () =>
        bodyOfTexts(
          chunk.map((p) => p.item.key),
          chunk.map(
            (p, i) =>
              p.text ?? JSON.stringify(withFile(p.wire, loaded[i] as LoadedFile, this.files, parts ?? [])),
          ),
        ),
      );
      const answer = await this.post(this.batchUrl, {
        ...batch,
        count: chunk.length,
        ...(parts ? { parts } : {}),
      });
      const { refused } = answer;
      // Results for none of the request's keys say nothing of any: the whole request was refused.
      if (refused && !chunk.some((p) => answer.results.has(p.item.key))) throw refused;
      for (const p of chunk) outcomes[p.index] = itemOutcome(p.item.key, answer);
    };
    const stopped = await sendInBatches(
      sendable,
      this.config.batchSize,
      send,
      {
        // Each item counts its comma, a request has one fewer: a body of exactly maxBatchBytes fits.
        maxBytes: this.maxBatchBytes - frameBytes(this.files) + 1,
        bytesOf: (p) => p.bytes,
        // A license refused as too large on its own fails alone, naming itself and its size: the rest are sent.
        alone: (p, error, fits) => {
          const bytes = p.bytes - 1 + frameBytes(this.files);
          outcomes[p.index] = tooLargeAlone(this.name, p.item, bytes, error, fits);
        },
      },
      upload,
    ).catch((e: unknown) => {
      throw failedRequest(
        e,
        current.map((p) => p.item.key),
      );
    });
    // Earlier batches were answered; they keep their receipts and the rest are reported failed.
    if (stopped)
      for (const [i, p] of stopped.unsent.entries())
        outcomes[p.index] = failedBy(p.item.key, stopped.error, i < stopped.reached);
    return outcomes.map((o, i) => o ?? { key: items[i]?.key ?? '', state: 'failed', retryable: true });
  }

  /**
   * Asks the platform for the final state of deliveries it answered `submitted` (platforms that
   * accept first and validate later): `POST <url>/licenses/status` with `{ "keys": [ … ] }`.
   */
  poll(submitted: readonly SubmittedDelivery[]): Promise<DeliveryOutcome[]> {
    const ask = async (keys: string[]) => {
      const answer = await this.post(this.statusUrl, { json: JSON.stringify({ keys }), count: keys.length });
      return keys.map((key) => answerOutcome(key, answer));
    };
    const status = { target: this.name, action: 'status request', to: this.origin };
    return pollInBatches(submitted, this.config.batchSize, ask, status);
  }

  /**
   * One authenticated POST; a 401 is tried once more after the strategy renews its credentials.
   * With `parts`, the body is `multipart/form-data` (file-wire.ts).
   */
  private async post(url: URL, request: Request): Promise<Answer> {
    // One id per send, kept when the same request is sent again with renewed credentials.
    const sendId = randomUUID();
    // The status request reads and changes nothing: it carries no Idempotency-Key, or a caching
    // gateway would answer every later poll with the first (`submitted`) forever.
    const idempotencyKey = request.identities ? batchIdempotencyKey(request.identities, sendId) : undefined;
    const batch = request.identities !== undefined;
    const action = batch ? 'batch upload' : 'status request';
    // Bytes once, for the signature, the wire and a send again with renewed credentials: given the
    // text, the HMAC strategy and axios each made a UTF-8 copy (~185 KB a request of 100, twice).
    const { body, contentType } = buildingBody({ target: this.name, action, to: this.origin }, () => {
      const { json, parts } = request;
      if (parts === undefined)
        return { body: Buffer.from(json, 'utf8'), contentType: 'application/json; charset=utf-8' };
      return multipartBody(json, parts, idempotencyKey ?? sendId);
    });
    // Whether a request of this post left this host: the retry after a 401 whose credentials cannot
    // be renewed or made is still a request that reached the platform once.
    const tries = { left: false };
    // An answer asking every caller to wait (429 with Retry-After) holds back this target's other
    // requests of this process too, those of jobs already running included (shared/send-pause.ts).
    const once = { body, contentType, count: request.count, batch, idempotencyKey };
    return this.pause.noting(() =>
      withRenewal(
        this.auth,
        (sent) => this.postOnce(url, once, sent, tries),
        (e) => this.unexpected(action, e),
      ),
    );
  }

  /** Time left of a wait the platform asked every caller for, ms; undefined when none (shared/send-pause.ts). */
  waitLeft(): number | undefined {
    return this.pause.left();
  }

  /** A fault of no known kind (a strategy's or the client's own), named by its request, its cause kept. */
  private unexpected(action: string, cause: unknown): LicbridgeError {
    return failedUnexpectedly(this.name, action, this.origin, cause);
  }

  private async postOnce(
    url: URL,
    request: {
      body: Buffer;
      contentType: string;
      count: number;
      batch: boolean;
      idempotencyKey?: string | undefined;
    },
    sent: SentCredentials,
    tries: { left: boolean },
  ): Promise<Answer> {
    const { body, batch, idempotencyKey } = request;
    const path = `${url.pathname}${url.search}`;
    // A refusal of the whole batch is retried with backoff: it says nothing against one license.
    const where = (): FailureWhere => ({
      target: this.name,
      origin: this.origin,
      now: this.clock(),
      refusalRetryable: true,
      ...(batch ? {} : { action: 'status request' }),
      // Named with a 404: a wrong path in `url` said "HTTP 404" and the origin only.
      endpoint: endpointOf(url),
    });
    // Held before its credentials are made: not sent during the wait, it needs no token yet.
    const action = batch ? 'batch upload' : 'status request';
    this.pause.hold(action, tries.left);
    // Credentials not made (the token endpoint down or refusing): the request never leaves. After a
    // first send (the retry after a 401) it is an attempt; a strategy's own fault is wrapped.
    const authHeaders = await this.auth.headers({ method: 'POST', path, body }).catch((e: unknown) => {
      if (!tries.left) throw credentialsNotMade(e, this.name, { action, origin: this.origin });
      throw isLicbridgeError(e) ? e : this.unexpected(action, e);
    });
    sent.headers = authHeaders;
    let response: { status: number; data: unknown; headers: Record<string, unknown> };
    try {
      // Looked at last thing before the send: a wait may have begun while credentials were made.
      // A retry after a 401 held so is still an attempt: its first send left (`tries.left`).
      this.pause.hold(action, tries.left);
      tries.left = true;
      response = await this.http.request({
        method: 'POST',
        url: url.href,
        data: body,
        // One outcome per item or key asked about, and no more is read.
        maxContentLength: platformAnswerLimit(request.count),
        headers: {
          'content-type': request.contentType,
          accept: 'application/json',
          ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
          ...authHeaders,
        },
      });
    } catch (e) {
      if (isLicbridgeError(e)) throw e;
      const noAnswer = await errorFromNoAnswer(e, where(), this.config.url, this.config.tls);
      if (noAnswer) throw noAnswer;
      throw this.unexpected(action, e);
    }

    const text = typeof response.data === 'string' ? response.data : '';
    // An HTTP-date Retry-After is read against the answer's own Date (http-failure.ts parseRetryAfter).
    const answered: FailureWhere = {
      ...where(),
      answerDate: response.headers.date,
      location: response.headers.location,
    };
    if (response.status < 200 || response.status > 299) {
      const retryAfter = response.headers['retry-after'];
      throw errorFromStatus(
        response.status,
        text,
        typeof retryAfter === 'string' ? retryAfter : undefined,
        answered,
      );
    }
    const parsed = parseBatchResponse(text);
    if (parsed?.code !== 0) {
      const error = errorFromAnswer(parsed?.code, text, answered, response.headers['retry-after']);
      // A batch refused with a code of its own (`2`, partly accepted) that still answers for some
      // items: each is the platform's verdict on that license, read as under code 0. Refused whole,
      // the accepted one was dead-lettered on the job's last attempt though the platform holds it,
      // and the rejected one under `platform code 2` instead of the reason that says what to fix.
      if (batch && parsed && parsed.results.length > 0 && answersPerItem(parsed.code))
        return {
          results: resultsByKey(parsed.results),
          batchId: parsed.batchId,
          refused: error,
          ...unreadableOf(parsed),
        };
      throw error;
    }
    // Every result of a key, in the order given: read together by toOutcome (./outcome.ts).
    return { results: resultsByKey(parsed.results), batchId: parsed.batchId, ...unreadableOf(parsed) };
  }

  /** What the platform holds for these license ids (lookup.ts); absent ids are missing from the answer. */
  lookup(licenseIds: readonly string[]): Promise<PlatformRecord[]> {
    return this.reader().lookup(licenseIds);
  }

  /** Everything the platform holds, in license-id order, in chunks (lookup.ts). */
  list(options?: { chunkSize?: number; signal?: AbortSignal }): AsyncIterable<PlatformRecord[]> {
    return this.reader().list(options);
  }

  private reader(): ReturnType<typeof createLookup> {
    this.lookupReader ??= createLookup({
      name: this.name,
      baseUrl: this.config.url,
      http: this.http,
      auth: this.auth,
      codes: this.codes,
      tls: this.config.tls,
      // A wait the platform asked for holds back read-backs as it does deliveries.
      pause: this.pause,
    });
    return this.lookupReader;
  }

  async close(): Promise<void> {
    this.closeHttp();
  }
}
