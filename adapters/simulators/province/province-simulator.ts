/**
 * A real HTTP server standing in for a province e-license platform's REST/JSON upload API, with
 * HMAC authentication, idempotent batch upload (per item, and per `Idempotency-Key` as gateways do), lookups for reconciliation, seeded fault injection
 * and optional persistence across restarts.
 *
 * Endpoints: `POST /licenses/batch`, `GET /licenses?identifier=…`, `GET /licenses/:licenseId`,
 * `GET /licenses/current?after=…&limit=…` (the current view of every license, paged)
 * (all authenticated when `auth` is set, and by bearer token when `oauth2` is: its tokens come
 * from `POST /oauth/token`, token-issuer.ts; and by an app key + md5 signature when `appkeyMd5`
 * is: its secrets come from `GET /auth/secret`, secret-issuer.ts) and `GET /_sim/stats` and `GET /_sim/files/<key>` (the
 * license file accepted with a delivery key; never authenticated, never faulted: they are the
 * observer's window, not part of the platform).
 *
 * A batch may be JSON or `multipart/form-data` (the JSON in part `batch`); an item may carry its
 * sealed license file in its `ofd` field, checked by file-check.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basePathOf, pathUnder } from '../base-path.js';
import { MAX_BODY_BYTES, readBody, sendJson } from '../http-io.js';
import { closeHttpServer, keepIdleConnections, PendingDelays } from '../pending-delays.js';
import { type SimulatorTls, simulatorServer } from '../served.js';
import { AuthCheck } from './auth-check.js';
import {
  errorReply,
  handleBatch,
  handleCurrent,
  handleGet,
  handleList,
  handleStatus,
  type JsonReply,
} from './batch-handler.js';
import { type FaultOptions, FaultPlan } from './fault-plan.js';
import { bodyHashOf, IdempotencyCache } from './idempotency-cache.js';
import { type FormPart, formBoundary, readForm } from './multipart.js';
import { ReviewDesk, type ReviewOptions } from './review-desk.js';
import { type SecretCounts, SecretIssuer, type SecretIssuerOptions } from './secret-issuer.js';
import { type SimulatorStats, StateStore, type StoredLicense } from './state-store.js';
import { type TokenCounts, TokenIssuer, type TokenIssuerOptions } from './token-issuer.js';

export type { FaultOptions } from './fault-plan.js';
export type { ReceivedFileInfo } from './file-check.js';
export type { SecretCounts, SecretIssuerOptions } from './secret-issuer.js';
export type { SimulatorStats, StoredLicense } from './state-store.js';
export { readSimulatorState, type StateSnapshot } from './state-store.js';
export type { TokenCounts, TokenIssuerOptions } from './token-issuer.js';

/** The item field a license file comes in, unless `fileProperty` says otherwise. */
const FILE_PROPERTY = 'ofd';

/**
 * The reason a path the platform does not serve is answered with. Not `not-found`: that is the
 * platform's answer for a license it does not hold (`GET /licenses/:id`), and a target whose url
 * named a wrong path read every license of a check as absent there, re-sent by a repair.
 */
const NO_SUCH_ENDPOINT = 'no-such-endpoint';

export interface ProvinceSimulatorOptions {
  /** @defaultValue `127.0.0.1` */
  host?: string;
  /** 0 picks a free port. @defaultValue 0 */
  port?: number;
  /**
   * Path the platform's endpoints are served under, as a target's `url` with a path
   * (`https://gateway.example.gov.cn/license`) sends them: `POST /license/licenses/batch`. The
   * credential endpoints (`/oauth/token`, `/auth/secret`) and the observer's `/_sim/` are served
   * both at the root and under it. @defaultValue `/`
   */
  basePath?: string;
  /**
   * File keeping accepted entries, `Idempotency-Key` answers, counters and the nonces of
   * requests whose timestamps are still fresh (nonce-store.ts) across restarts: a
   * SQLite database, created when absent; a JSON state file of the earlier format is converted.
   * Each batch writes only what it changed. @defaultValue in memory
   */
  stateFile?: string;
  /** When set, every platform request must carry a valid HMAC signature. */
  auth?: { appKey: string; secret: string };
  /**
   * When set, `POST /oauth/token` issues OAuth2 client_credentials tokens (token-issuer.ts) and
   * every platform request must carry a valid one as `Authorization: Bearer …`. An issuer given
   * as such is shared: another simulator handed it (a message gateway of the same identity
   * service) admits the tokens issued here. @defaultValue off
   */
  oauth2?: TokenIssuerOptions | TokenIssuer;
  /**
   * When set, every platform request must be signed `md5(appKey + secret + requestTime)` with a
   * valid secret, and `GET /auth/secret` hands out new ones (secret-issuer.ts). @defaultValue off
   */
  appkeyMd5?: SecretIssuerOptions;
  faults?: FaultOptions;
  /** Accept first, judge later: new items are answered `submitted`, decided on later status requests. @defaultValue off */
  review?: ReviewOptions;
  /** License-type definitions served at `GET /catalog/types`. @defaultValue none */
  catalogTypes?: Record<string, unknown>[];
  /** Unix ms; drives timestamp-skew checks and `acceptedAt`. @defaultValue `Date.now` */
  clock?: () => number;
  /**
   * Serve HTTPS with this PEM certificate and key; with `clientCa`, mutual TLS: a client must
   * present a certificate that CA issued, as government-network platforms demand. @defaultValue HTTP
   */
  tls?: SimulatorTls;
  /** Item field that carries a license file. @defaultValue `ofd` */
  fileProperty?: string;
}

export interface ProvinceSimulator {
  /** Base URL, e.g. `http://127.0.0.1:40123` (with `basePath`, `…:40123/license`), without a trailing slash. */
  readonly url: string;
  stats(): SimulatorStats;
  /** Tokens issued and bearer refusals, when `oauth2` is set (zero otherwise). */
  tokens(): TokenCounts;
  /** Retires every token issued so far (an operator revoking them, a restart of the identity service). */
  revokeTokens(): void;
  /** Secrets handed out and signature refusals, when `appkeyMd5` is set (zero otherwise). */
  secrets(): SecretCounts;
  /** Retires every secret handed out so far for a new one nobody holds (an operator rotating it). */
  rotateSecret(): void;
  /** One entry per accepted key. */
  licenses(): StoredLicense[];
  /** The license file accepted with this delivery key (kept in memory, not in the state file). */
  file(key: string): Buffer | undefined;
  /** Stops listening, ends every connection (held-open ones too), saves and closes the state file. */
  close(): Promise<void>;
}

export async function startProvinceSimulator(
  options: ProvinceSimulatorOptions = {},
): Promise<ProvinceSimulator> {
  const clock = options.clock ?? Date.now;
  const store = new StateStore(options.stateFile);
  await store.load();
  const faults = new FaultPlan(options.faults);
  const review = options.review ? new ReviewDesk(options.review) : undefined;
  const auth = options.auth
    ? new AuthCheck(options.auth.appKey, options.auth.secret, clock, store.nonces())
    : undefined;
  const tokens = TokenIssuer.of(options.oauth2, clock);
  const secrets = options.appkeyMd5 ? new SecretIssuer(options.appkeyMd5, clock) : undefined;
  const delays = new PendingDelays();
  const idempotency = new IdempotencyCache(store);
  const kept = new Map<string, Buffer>();
  const fileProperty = options.fileProperty ?? FILE_PROPERTY;
  const basePath = basePathOf(options.basePath);
  let closing = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) return sendJson(res, errorReply(413, 'body-too-large', 'request body too large'));
    // The path under `basePath`, or undefined for a request outside it. The HMAC check still reads
    // the whole path, as the client signed it.
    const under = pathUnder(url.pathname, basePath);
    const served = (path: string): boolean => url.pathname === path || under === path;

    const simPath = url.pathname.startsWith('/_sim/') ? url.pathname : under;
    if (simPath?.startsWith('/_sim/')) {
      if (req.method === 'GET' && simPath === '/_sim/stats')
        return sendJson(res, { status: 200, body: { ...store.stats } });
      const fileKey = /^\/_sim\/files\/([^/]+)$/.exec(simPath)?.[1];
      if (req.method === 'GET' && fileKey !== undefined)
        return sendFile(res, kept.get(decodeURIComponent(fileKey)));
      return sendJson(res, errorReply(404, NO_SUCH_ENDPOINT, 'no such simulator endpoint'));
    }

    if (tokens && served('/oauth/token')) {
      if (req.method !== 'POST') return sendJson(res, errorReply(405, 'method-not-allowed', 'use POST'));
      return sendJson(res, tokens.issue(req.headers.authorization, body));
    }
    if (secrets && served('/auth/secret')) {
      if (req.method !== 'GET') return sendJson(res, errorReply(405, 'method-not-allowed', 'use GET'));
      return sendJson(res, secrets.refresh(url.searchParams));
    }
    if (under === undefined) {
      return sendJson(
        res,
        errorReply(404, NO_SUCH_ENDPOINT, `no such endpoint (the platform is served under ${basePath})`),
      );
    }
    url.pathname = under;

    store.stats.requests += 1;
    if (faults.latencyMs > 0) await delays.wait(faults.latencyMs);
    if (closing) return;
    const fault = faults.next();
    if (fault === 'timeout') {
      // Never answered; close() ends the connection.
      store.stats.faultsInjected += 1;
      return;
    }
    if (fault === 'throttle') {
      // A 429 burst: the platform asks every caller to slow down for Retry-After seconds.
      store.stats.faultsInjected += 1;
      store.stats.throttled = (store.stats.throttled ?? 0) + 1;
      return sendJson(res, errorReply(429, 'too-many-requests', 'rate limit exceeded (injected)'), {
        'retry-after': String(faults.retryAfterSeconds ?? 1),
      });
    }
    if (fault === 'error') {
      store.stats.faultsInjected += 1;
      const headers: Record<string, string> =
        faults.retryAfterSeconds === undefined ? {} : { 'retry-after': String(faults.retryAfterSeconds) };
      return sendJson(
        res,
        errorReply(503, 'unavailable', 'service temporarily unavailable (injected)'),
        headers,
      );
    }

    // The body's SHA-256, taken once: the HMAC check and the Idempotency-Key memory both use it.
    let digest: string | undefined;
    const bodySha256 = (): string => {
      digest ??= bodyHashOf(body);
      return digest;
    };
    // Routed before any credentials are checked, as the platform's gateway does: a path it does
    // not serve (a mistyped tokenUrl under the base path) was answered 401 `invalid-token`, telling
    // the caller its credentials were wrong when the path was.
    if (!servesPath(url.pathname))
      return sendJson(res, errorReply(404, NO_SUCH_ENDPOINT, 'no such endpoint'));
    if (auth) {
      const verdict = auth.check({
        method: req.method ?? '',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        bodySha256: bodySha256(),
      });
      if (!verdict.ok) return sendJson(res, errorReply(401, verdict.reason, verdict.message));
    }
    if (tokens && !tokens.admits(req.headers.authorization)) {
      return sendJson(
        res,
        errorReply(401, 'invalid-token', 'bearer token missing, unknown, revoked or expired'),
      );
    }
    if (secrets && !secrets.admits(req.headers)) {
      return sendJson(res, errorReply(401, 'bad-sign', 'signature missing, wrong or of a retired secret'));
    }

    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' ? key : undefined;
    // As route() takes the path: a batch sent again to `/licenses/batch/` is the same endpoint, and
    // the key's first answer is replayed for it too, not the batch stored a second time. Only an
    // upload (POST): a GET or PUT there under a used key was answered the upload's 200, not 405.
    const isBatch = req.method === 'POST' && url.pathname.replace(/\/+$/, '') === '/licenses/batch';
    const replayed = isBatch ? idempotency.replayFor(idempotencyKey, bodySha256) : undefined;
    if (replayed) {
      store.stats.idempotentReplays = (store.stats.idempotentReplays ?? 0) + 1;
      if (!closing) sendJson(res, replayed, { 'idempotent-replayed': 'true' });
      return;
    }
    const type = req.headers['content-type'];
    const reply = await route(req.method ?? '', url, body, bodySha256, idempotencyKey, type);
    // A batch refused (413 over the item limit, 400) stored nothing: its refusal is answered.
    if (fault === 'lost-answer' && reply.status === 200 && isBatch) {
      // Stored, and the answer never sent: close() ends the connection.
      store.stats.faultsInjected += 1;
      return;
    }
    if (!closing) sendJson(res, reply);
  }

  async function route(
    method: string,
    url: URL,
    body: Buffer,
    bodySha256: () => string,
    idempotencyKey?: string,
    contentType?: string,
  ): Promise<JsonReply> {
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/licenses/batch') {
      if (method !== 'POST') return errorReply(405, 'method-not-allowed', 'use POST');
      let json = body;
      let parts: Map<string, FormPart> | undefined;
      const boundary = formBoundary(contentType);
      if (boundary !== undefined) {
        parts = readForm(body, boundary);
        const batch = parts?.get('batch');
        if (!batch)
          return errorReply(400, 'bad-multipart', 'expected multipart/form-data with a part `batch`');
        json = batch.body;
      }
      // The batch's files are kept once it is stored: a batch that failed leaves none behind.
      const staged = new Map<string, Buffer>();
      const files = { property: fileProperty, kept: staged, ...(parts ? { parts } : {}) };
      // All or nothing, and on disk before the answer goes out, so an acknowledged key survives a
      // crash and a batch answered 500 left nothing the retry could find (state-store.ts `apply`).
      const reply = await store.apply(
        () => {
          review?.mark();
          const done = handleBatch(store, json, clock, review, files);
          // Saved with the batch it answers: a restart never keeps one without the other.
          idempotency.remember(idempotencyKey, bodySha256, done.reply);
          return done;
        },
        () => review?.undo(),
      );
      for (const [k, bytes] of staged) kept.set(k, bytes);
      return reply;
    }
    if (path === '/catalog/types') {
      if (method !== 'GET') return errorReply(405, 'method-not-allowed', 'use GET');
      return { status: 200, body: { code: 0, types: options.catalogTypes ?? [] } };
    }
    if (path === '/licenses/status') {
      if (method !== 'POST') return errorReply(405, 'method-not-allowed', 'use POST');
      // A review decided here stores its license: on disk before the answer, as for a batch.
      return store.apply(
        () => {
          review?.mark();
          return { reply: handleStatus(store, body, review), changed: review !== undefined };
        },
        () => review?.undo(),
      );
    }
    if (path === '/licenses') {
      if (method !== 'GET') return errorReply(405, 'method-not-allowed', 'use GET');
      return handleList(store, url.searchParams);
    }
    if (path === '/licenses/current') {
      if (method !== 'GET') return errorReply(405, 'method-not-allowed', 'use GET');
      return handleCurrent(store, url.searchParams);
    }
    const one = /^\/licenses\/([^/]+)$/.exec(path);
    if (one?.[1]) {
      if (method !== 'GET') return errorReply(405, 'method-not-allowed', 'use GET');
      return handleGet(store, decodeURIComponent(one[1]));
    }
    // Unreached for a path servesPath() refuses; kept so route() stands on its own.
    return errorReply(404, NO_SUCH_ENDPOINT, 'no such endpoint');
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) sendJson(res, errorReply(500, 'internal', 'simulator error'));
    });
  };
  const server = simulatorServer(options.tls, onRequest);
  keepIdleConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}${basePath}`,
    stats: () => ({ ...store.stats }),
    tokens: () => ({ ...(tokens?.counts ?? { issued: 0, refused: 0 }) }),
    revokeTokens: () => tokens?.revokeAll(),
    secrets: () => ({ ...(secrets?.counts ?? { refreshed: 0, refused: 0 }) }),
    rotateSecret: () => secrets?.rotate(),
    licenses: () => store.all(),
    file: (key) => kept.get(key),
    close: async () => {
      if (closing) return;
      closing = true;
      delays.releaseAll();
      await closeHttpServer(server);
      await store.flushed();
      // Counters such as `requests` change without a batch; written once more on the way out.
      await store.close();
    },
  };
}

/**
 * Whether route() serves `path` (under the base path, trailing slashes as route() takes them):
 * `/catalog/types`, `/licenses` and `/licenses/<one segment>` (`batch`, `status`, `current`, a
 * license id). A wrong method there is route()'s 405, after the credentials.
 */
function servesPath(path: string): boolean {
  return /^\/(?:catalog\/types|licenses(?:\/[^/]+)?)$/.test(path.replace(/\/+$/, ''));
}

/** A kept license file as it came, or 404. */
function sendFile(res: ServerResponse, bytes: Buffer | undefined): void {
  if (!bytes) {
    sendJson(res, errorReply(404, 'not-found', 'no file for that key'));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/ofd', 'content-length': bytes.length });
  res.end(bytes);
}
