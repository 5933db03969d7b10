/**
 * The SOAP/XML platform adapter for older city web services: `SubmitLicenses` batches, per-record
 * results, `QueryStatus` for deliveries answered `submitted`. SOAP faults become licbridge errors:
 * `Server` faults (and HTTP 5xx, 429, timeouts) are retryable; a `Client` fault refuses the whole
 * request and is retried with backoff too, so one refusal does not dead-letter a job at once.
 * Like the REST adapter, every record carries its delivery key, the service's idempotency key, and
 * requests are cut at `batchSize` and `maxBatchBytes`, halved when refused as too large (HTTP 413),
 * and a license refused so alone fails on its own (shared/batches.ts, shared/request-bytes.ts).
 */
import type { AxiosInstance } from 'axios';
import { type Defaulted, withSchemaDefaults } from '../../../config/schema-defaults.js';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../../core/errors.js';
import { platformHttp } from '../../tls-http.js';
import { platformAnswerLimit } from '../shared/answer-size.js';
import { failedBy, failedRequest, pollInBatches, sendInBatches } from '../shared/batches.js';
import { type CodeLists, codeListsFor } from '../shared/code-lists.js';
import {
  endpointOf,
  errorFromNoAnswer,
  errorFromStatus,
  type FailureWhere,
  failedUnexpectedly,
  parseRetryAfter,
} from '../shared/http-failure.js';
import { keyOutcome, resultsByKey } from '../shared/key-results.js';
import { PayloadError, toPlatformLicense } from '../shared/platform-license.js';
import { machineToken } from '../shared/platform-text.js';
import { buildingBody, maxBatchBytesOf, tooLargeAlone } from '../shared/request-bytes.js';
import { partNotBuilt } from '../shared/request-not-built.js';
import { SendPause } from '../shared/send-pause.js';
import type { DeliveryItem, DeliveryOutcome, SubmittedDelivery, TargetAdapter } from '../target.js';
import { isAuthFault, type SoapResult } from './answer.js';
import type { SoapXmlTargetConfig } from './config.js';
import {
  newUsernameToken,
  parseEnvelope,
  recordBytes,
  type SoapRecord,
  soapAction,
  statusEnvelope,
  submitEnvelope,
  submitFrameBytes,
  unfitField,
} from './envelope.js';
import { soapXmlKind } from './kind.js';

export interface SoapXmlTargetOptions {
  /** Unix ms, for the UsernameToken `Created`. @defaultValue `Date.now` */
  clock?: () => number;
}

/** A fault naming the request's item count as over the service's limit: its machine token. */
const BATCH_TOO_LARGE = /(^|[\s:])batch-too-large(\b|$)/i;

/** A license ready to send: its item, its record and the bytes it adds to an envelope. */
interface Prepared {
  item: DeliveryItem;
  record: SoapRecord;
  bytes: number;
}

export class SoapXmlTarget implements TargetAdapter {
  readonly kind = 'soap-xml';
  private readonly url: URL;
  private readonly ns: string;
  private readonly codes: CodeLists;
  private readonly clock: () => number;
  private readonly http: AxiosInstance;
  private readonly closeHttp: () => void;
  private readonly maxBatchBytes: number;
  /** The wait the service asked every caller for, shared by this process's requests to it. */
  private readonly pause: SendPause;

  constructor(
    readonly name: string,
    private readonly config: SoapXmlTargetConfig,
    options: SoapXmlTargetOptions = {},
  ) {
    try {
      this.url = new URL(config.url);
    } catch (e) {
      throw new LicbridgeError(ErrorCodes.USAGE, `target ${name}: url is not an absolute URL`, {
        context: { target: name },
        cause: e,
      });
    }
    // A loaded config has the namespace already; one built in code gets it from the same schema.
    this.ns = (
      withSchemaDefaults(soapXmlKind.schema, config) as Defaulted<SoapXmlTargetConfig, 'namespace'>
    ).namespace;
    this.codes = codeListsFor(config.codes);
    this.maxBatchBytes = maxBatchBytesOf(config);
    this.clock = options.clock ?? Date.now;
    ({ http: this.http, close: this.closeHttp } = platformHttp(config.timeoutMs, config.tls));
    this.pause = new SendPause(name, this.url.origin);
  }

  /** Time left of a wait the service asked every caller for, ms; undefined when none (shared/send-pause.ts). */
  waitLeft(): number | undefined {
    return this.pause.left();
  }

  async deliver(items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> {
    const outcomes = new Map<string, DeliveryOutcome>();
    const records: Prepared[] = [];
    for (const item of items) {
      try {
        const license = toPlatformLicense(item.license, item.operation, this.codes, item.version);
        const record = {
          key: item.key,
          operation: license.czlx,
          license: { ...license },
          signature: item.signature,
        };
        // Sent, it made the service refuse the whole envelope, and every license batched with it
        // failed until dead-lettered. The field and code point are named; the value never is.
        const unfit = unfitField(record);
        if (unfit) {
          const detail = `field ${unfit.field} holds ${unfit.char}, a character XML 1.0 cannot carry`;
          outcomes.set(item.key, { key: item.key, state: 'rejected', reasons: [`licbridge: ${detail}`] });
          continue;
        }
        records.push({ item, record, bytes: recordBytes(record) });
      } catch (e) {
        // Any other fault (of the mapping, of the XML) is this license's own, unsent and final: the
        // others are sent (../shared/request-not-built.ts).
        const request = { action: 'SubmitLicenses', to: this.url.origin, part: 'record' };
        outcomes.set(
          item.key,
          e instanceof PayloadError
            ? { key: item.key, state: 'rejected', reasons: [`licbridge: ${e.message}`] }
            : partNotBuilt(this.name, request, item, e),
        );
      }
    }
    // Every envelope's frame is as long (a token's digest, nonce and time are of fixed length).
    const frame = submitFrameBytes(this.ns, this.token());
    // The request on its way: one failing before any was answered fails the call, saying whose
    // licenses it carried (the rest never left this host: shared/batches.ts failedRequest).
    let current: readonly Prepared[] = [];
    const submit = { target: this.name, action: 'SubmitLicenses', to: this.url.origin };
    const stopped = await sendInBatches(
      records,
      this.config.batchSize,
      async (chunk) => {
        current = chunk;
        const body = buildingBody(submit, () =>
          submitEnvelope(
            chunk.map((p) => p.record),
            this.ns,
            this.token(),
          ),
        );
        const results = await this.call('SubmitLicenses', body, chunk.length);
        for (const p of chunk) outcomes.set(p.item.key, toOutcome(p.item.key, results.get(p.item.key)));
      },
      {
        maxBytes: this.maxBatchBytes - frame,
        bytesOf: (p) => p.bytes,
        // A license refused as too large on its own (a service's or its proxy's limit: HTTP 413)
        // fails alone, naming itself and its size: the rest are sent, as a REST/JSON target does.
        alone: (p, error, fits) =>
          outcomes.set(p.item.key, tooLargeAlone(this.name, p.item, frame + p.bytes, error, fits)),
      },
      submit,
    ).catch((e: unknown) => {
      throw failedRequest(
        e,
        current.map((p) => p.item.key),
      );
    });
    if (stopped)
      for (const [i, p] of stopped.unsent.entries())
        outcomes.set(p.item.key, failedBy(p.item.key, stopped.error, i < stopped.reached));
    return items.map((i) => outcomes.get(i.key) ?? { key: i.key, state: 'failed', retryable: true });
  }

  poll(submitted: readonly SubmittedDelivery[]): Promise<DeliveryOutcome[]> {
    const ask = async (keys: string[]) => {
      const results = await this.call(
        'QueryStatus',
        statusEnvelope(keys, this.ns, this.token()),
        keys.length,
      );
      return keys.map((key) => toOutcome(key, results.get(key)));
    };
    // A fault of no known kind (reading the answer) named as the request's other failures are.
    const status = { target: this.name, action: 'QueryStatus', to: this.url.origin };
    return pollInBatches(submitted, this.config.batchSize, ask, status);
  }

  private token() {
    return this.config.username && this.config.password
      ? newUsernameToken(this.config.username, this.config.password, this.clock())
      : undefined;
  }

  /**
   * One request; a fault or status asking every caller to wait (Retry-After) holds back this
   * target's other requests of this process too, those of jobs already running included
   * (shared/send-pause.ts).
   */
  private call(operation: string, body: string, items: number): Promise<Map<string, SoapResult[]>> {
    return this.pause.noting(() => this.callOnce(operation, body, items));
  }

  /** `items`: the records or keys sent, one result each in the answer (which sizes what of it is read). */
  private async callOnce(operation: string, body: string, items: number): Promise<Map<string, SoapResult[]>> {
    // A refusal of the whole batch is retried with backoff: it says nothing against one license.
    // A QueryStatus is named as the REST/JSON target names its status request: said to be a batch
    // upload, its failure sent the operator looking at the sends.
    const where = (): FailureWhere => ({
      target: this.name,
      origin: this.url.origin,
      now: this.clock(),
      refusalRetryable: true,
      ...(operation === 'QueryStatus' ? { action: 'status request' } : {}),
    });
    let res: { status: number; data: unknown; headers: Record<string, unknown> };
    try {
      this.pause.hold(operation);
      res = await this.http.request({
        method: 'POST',
        url: this.url.href,
        data: body,
        maxContentLength: platformAnswerLimit(items),
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: soapAction(this.ns, operation) },
      });
    } catch (e) {
      if (isLicbridgeError(e)) throw e;
      const noAnswer = await errorFromNoAnswer(e, where(), this.config.url, this.config.tls);
      if (noAnswer) throw noAnswer;
      // The service named, as the request's other failures name it.
      throw failedUnexpectedly(this.name, operation, this.url.origin, e);
    }
    const text = typeof res.data === 'string' ? res.data : '';
    const parsed = parseEnvelope(text);
    if (parsed.kind === 'fault') {
      const { fault } = parsed;
      // The fault string is the service's own text and may echo the record (a holder's name and ID
      // number) into the message, which becomes Redis' failedReason, the dead letter's reason and
      // log lines: only the fault code and a leading machine token are kept.
      const code = machineToken(fault.code) ?? 'unreadable-code';
      const token = machineToken(fault.message);
      const detail = `SOAP fault ${code}${token && token !== code ? `: ${token}` : ''}`;
      const ra = res.headers['retry-after'];
      const retryAfterMs = parseRetryAfter(
        typeof ra === 'string' ? ra : undefined,
        this.clock(),
        res.headers.date,
        `target ${this.name}`,
        endpointOf(this.url),
      );
      const context = {
        target: this.name,
        origin: this.url.origin,
        status: res.status,
        faultCode: code,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        // A service whose item limit is under `batchSize` says so in a fault (`Client.Request:
        // batch-too-large`, the token the platforms' 413 answers carry) and not with HTTP 413: read
        // as any `Client` fault, the same request was refused at every attempt and the whole job
        // dead-lettered. Marked as the platform's 413, the batch is sent again in halves (batches.ts).
        ...(BATCH_TOO_LARGE.test(fault.message) ? { platformCode: 413 } : {}),
        // A fault answered 2xx (a service or gateway answering every request 200) failed with no
        // HTTP status: by `status` its attempt read `http-200` (shared/failure-kind.ts).
        ...(res.status >= 200 && res.status <= 299 ? { failure: 'other' } : {}),
      };
      // A 401 or 403 refuses the credentials with a fault in the body as without one (errorFromStatus).
      if (isAuthFault(fault.code) || res.status === 401 || res.status === 403) {
        throw new LicbridgeError(
          ErrorCodes.TARGET_AUTH,
          `target ${this.name}: ${operation} to ${this.url.origin} failed: ${detail}`,
          { context },
        );
      }
      // A `Client` fault refuses the whole request, not one record: retried with backoff like a
      // REST 4xx, dead-lettered on the job's last attempt (per-record refusals are results). A
      // `Server` fault may come after the service stored the records (a commit that outlived the
      // call); it needs no `unsure` mark: the attempt is counted, and the deliver stage asks
      // QueryStatus about every delivery tried before it sends it again, a key sent again being
      // answered `duplicate` and recorded accepted (test/pipelines/deliver-soap-server-fault-stored).
      throw new LicbridgeError(
        fault.retryable ? ErrorCodes.TARGET_UNREACHABLE : ErrorCodes.TARGET_REJECTED,
        `target ${this.name}: ${operation} to ${this.url.origin} failed: ${detail}`,
        { retryable: true, context },
      );
    }
    if (res.status < 200 || res.status > 299) {
      const retryAfter = res.headers['retry-after'];
      // A wrong path in `url` (the service serves one endpoint) is named with its path, and where
      // a redirect points with it.
      throw errorFromStatus(res.status, '', typeof retryAfter === 'string' ? retryAfter : undefined, {
        ...where(),
        answerDate: res.headers.date,
        endpoint: endpointOf(this.url),
        location: res.headers.location,
      });
    }
    if (parsed.kind !== 'results') {
      // A maintenance page or a cut-off envelope: the service may have stored the records. The
      // attempt is recorded and the next try asks `QueryStatus` before sending again.
      throw new LicbridgeError(
        ErrorCodes.TARGET_UNREACHABLE,
        `target ${this.name}: ${operation} to ${this.url.origin} failed: answer is not the documented envelope`,
        { retryable: true, context: { target: this.name, origin: this.url.origin, unsure: true } },
      );
    }
    // Every result of a key, in the order given: read together by toOutcome (shared/key-results.ts).
    return resultsByKey(parsed.results);
  }

  async close(): Promise<void> {
    this.closeHttp();
  }
}

/**
 * A result's status as the state it names, whatever its case: no standard fixes how the city
 * service spells `accepted`, `rejected` and `submitted`, and a .NET service writes its enum's names
 * (`Accepted`); read case-sensitively, an acceptance was retried, then dead-lettered as an unknown
 * status. `pending` is `submitted` under another name, as the REST/JSON target reads it
 * (rest-json/outcome.ts): read as unknown, a license the service was still reviewing was
 * dead-lettered once its attempts were spent. Another status is left as written, to be named as unknown.
 */
const stateOf = (status: string): string => {
  const known = /^(accepted|rejected|submitted|pending)$/i.test(status) ? status.toLowerCase() : status;
  return known === 'pending' ? 'submitted' : known;
};

function toOutcome(key: string, results: readonly SoapResult[] | undefined): DeliveryOutcome {
  // Several results of one key are one answer, or none when they disagree: then the next try asks
  // QueryStatus before it sends again (shared/key-results.ts).
  return keyOutcome(key, results, 'service', { stateOf });
}
