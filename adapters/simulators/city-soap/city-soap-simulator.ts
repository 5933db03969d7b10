/**
 * A real HTTP server standing in for an older city exchange web service (SOAP 1.1): `SubmitLicenses`
 * and `QueryStatus` on one endpoint, WS-Security UsernameToken checks, the same idempotent store
 * and seeded fault injection as the province simulator (5xx as SOAP `Server` faults, held-open
 * requests, 429 bursts with Retry-After, latency), and `GET /_sim/stats` for observers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  faultEnvelope,
  notXmlChar,
  parseEnvelope,
  resultsEnvelope,
  type SoapResult,
} from '../../platforms/soap-xml/envelope.js';
import { DEFAULT_NAMESPACE } from '../../platforms/soap-xml/kind.js';
import { MAX_BODY_BYTES, readBody } from '../http-io.js';
import { closeHttpServer, keepIdleConnections, PendingDelays } from '../pending-delays.js';
import { handleBatch } from '../province/batch-handler.js';
import { type FaultOptions, FaultPlan } from '../province/fault-plan.js';
import { type SimulatorStats, StateStore, type StoredLicense } from '../province/state-store.js';
import { WsseCheck } from './wsse-check.js';

/** The one path the service answers at (its query is not read, as the service reads none). */
const ENDPOINT_PATH = '/services/LicenseExchange';

export interface CitySoapSimulatorOptions {
  /** @defaultValue `127.0.0.1` */
  host?: string;
  /** 0 picks a free port. @defaultValue 0 */
  port?: number;
  /**
   * File keeping accepted entries, counters and the nonces of fresh UsernameTokens across restarts
   * (SQLite; see the province simulator).
   */
  stateFile?: string;
  /** When set, every request must carry a valid UsernameToken. */
  auth?: { username: string; password: string };
  faults?: FaultOptions;
  /** @defaultValue `http://exchange.city.gov.cn/license` */
  namespace?: string;
  /** @defaultValue `Date.now` */
  clock?: () => number;
}

export interface CitySoapSimulator {
  readonly url: string;
  stats(): SimulatorStats;
  licenses(): StoredLicense[];
  close(): Promise<void>;
}

export async function startCitySoapSimulator(
  options: CitySoapSimulatorOptions = {},
): Promise<CitySoapSimulator> {
  const clock = options.clock ?? Date.now;
  const ns = options.namespace ?? DEFAULT_NAMESPACE;
  const store = new StateStore(options.stateFile);
  await store.load();
  const faults = new FaultPlan(options.faults);
  const auth = options.auth
    ? new WsseCheck(options.auth.username, options.auth.password, clock, store.nonces())
    : undefined;
  const delays = new PendingDelays();
  let closing = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The province platform's limit (a WCF service's maxReceivedMessageSize in the real one): a
    // body read whole without one let a single request take the simulator's memory.
    const bytes = await readBody(req, MAX_BODY_BYTES);
    if (bytes === undefined)
      return sendXml(res, 413, faultEnvelope('Client', 'Client.RequestTooLarge: request body too large'));
    const body = bytes.toString('utf8');
    const { pathname } = new URL(req.url ?? '/', 'http://simulator');
    if (req.method === 'GET' && pathname === '/_sim/stats') return sendJson(res, { ...store.stats });
    // The service has one endpoint; the web server in front of it (IIS) answers any other path 404
    // with its own page, before the service sees it. Answered here too, a target whose url named
    // another path passed every test and the demo and failed only against the real service.
    if (pathname !== ENDPOINT_PATH) return sendNotFound(res);

    store.stats.requests += 1;
    if (faults.latencyMs > 0) await delays.wait(faults.latencyMs);
    if (closing) return;
    const fault = faults.next();
    if (fault === 'timeout') {
      store.stats.faultsInjected += 1;
      return;
    }
    if (fault === 'throttle') {
      store.stats.faultsInjected += 1;
      store.stats.throttled = (store.stats.throttled ?? 0) + 1;
      return sendXml(res, 429, faultEnvelope('Server', 'Server.Busy: too many requests (injected)', true), {
        'retry-after': String(faults.retryAfterSeconds ?? 1),
      });
    }
    if (fault === 'error') {
      store.stats.faultsInjected += 1;
      return sendXml(
        res,
        500,
        faultEnvelope('Server', 'Server.Unavailable: service temporarily unavailable (injected)'),
      );
    }
    if (req.method !== 'POST') return sendXml(res, 405, faultEnvelope('Client', 'Client.Method: use POST'));

    // As .NET's and Java's XML 1.0 parsers do: a character XML cannot carry refuses the document.
    const invalid = notXmlChar(body);
    if (invalid) {
      return sendXml(res, 500, faultEnvelope('Client', `Client.Envelope: invalid character ${invalid}`));
    }
    const parsed = parseEnvelope(body);
    if (parsed.kind !== 'submit' && parsed.kind !== 'status') {
      return sendXml(
        res,
        500,
        faultEnvelope('Client', 'Client.Envelope: not a SubmitLicenses or QueryStatus request'),
      );
    }
    // ASP.NET and WCF dispatch on SOAPAction (SOAP 1.1 §6.1.1), the namespace and the operation
    // (one `/` between them), quoted or not, and refuse a request whose header names nothing they know.
    const operation = parsed.kind === 'submit' ? 'SubmitLicenses' : 'QueryStatus';
    const action = String(req.headers.soapaction ?? '').replace(/^"(.*)"$/, '$1');
    if (action !== `${ns.replace(/\/$/, '')}/${operation}`) {
      return sendXml(res, 500, faultEnvelope('Client', `Client.SOAPAction: not the action of ${operation}`));
    }
    if (auth) {
      const verdict = auth.check(parsed.token);
      if (!verdict.ok)
        return sendXml(res, 500, faultEnvelope('Client.Authentication', verdict.reason, false));
    }
    if (parsed.kind === 'status') {
      const results: SoapResult[] = parsed.keys.map((key) => {
        const e = store.get(key);
        return e
          ? { key, status: 'accepted', platformId: e.platformId, errors: [], duplicate: false }
          : { key, status: 'unknown', platformId: null, errors: [], duplicate: false };
      });
      return sendXml(res, 200, resultsEnvelope(results, ns, 'QueryStatus'));
    }
    // The same per-item checks and idempotent store as the province platform, fed from the envelope,
    // all or nothing: a batch that fails to store leaves nothing and is answered a Server fault.
    const records = Buffer.from(JSON.stringify({ items: parsed.records }));
    const reply = await store.apply(() => handleBatch(store, records, clock));
    if (reply.status !== 200) {
      return sendXml(
        res,
        500,
        faultEnvelope('Client', `Client.Request: ${String(reply.body.reason ?? 'bad request')}`),
      );
    }
    const results = (reply.body.results as SoapResult[]).map((r) => ({
      ...r,
      duplicate: r.duplicate === true,
    }));
    if (!closing) sendXml(res, 200, resultsEnvelope(results, ns, 'SubmitLicenses'));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed)
        sendXml(res, 500, faultEnvelope('Server', 'Server.Internal: simulator error'));
    });
  });
  keepIdleConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}${ENDPOINT_PATH}`,
    stats: () => ({ ...store.stats }),
    licenses: () => store.all(),
    close: async () => {
      if (closing) return;
      closing = true;
      delays.releaseAll();
      await closeHttpServer(server);
      await store.flushed();
      await store.close();
    },
  };
}

function sendXml(
  res: ServerResponse,
  status: number,
  xml: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'text/xml; charset=utf-8',
    'content-length': Buffer.byteLength(xml),
    ...headers,
  });
  res.end(xml);
}

/** IIS's answer for a path nothing is served at: an HTML page, no SOAP fault. */
function sendNotFound(res: ServerResponse): void {
  const page =
    '<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head><body><h2>404 - File or directory not found.</h2></body></html>';
  res.writeHead(404, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page) });
  res.end(page);
}

function sendJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
