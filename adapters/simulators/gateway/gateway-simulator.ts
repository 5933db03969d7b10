/**
 * A real HTTP server standing in for a message gateway (SMS, or app push) that sends licbridge's
 * expiry reminders to holders: `POST /messages`, HMAC authentication as the province platform
 * checks it, the gateway's idempotency (the first answer to an `Idempotency-Key` of a message it
 * took is replayed for any later request with that key, body unseen, and nothing is sent again;
 * a body it refused, 400, leaves the key free: gateway-state.ts `record`), seeded fault
 * injection, and windows for observers that are never authenticated or faulted:
 * `GET /_sim/messages` (every message the gateway sent, in order) and `GET /_sim/stats`. With
 * `oauth2`, messages carry a bearer token instead, from `POST /oauth/token` or from another
 * simulator sharing the same issuer (../province/token-issuer.ts: one identity service).
 *
 * A message is "sent" once the gateway has processed it, whether or not the caller is still
 * there to read the answer — as a real gateway does when the caller dies mid-request. That is the
 * case a caller's idempotency key must cover.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basePathOf, pathUnder } from '../base-path.js';
import { readBody, sendJson } from '../http-io.js';
import { closeHttpServer, PendingDelays } from '../pending-delays.js';
import { AuthCheck } from '../province/auth-check.js';
import { type FaultOptions, FaultPlan } from '../province/fault-plan.js';
import { type TokenCounts, TokenIssuer, type TokenIssuerOptions } from '../province/token-issuer.js';
import { type SimulatorTls, simulatorServer } from '../served.js';
import { type GatewayReply, GatewayState, type GatewayStats } from './gateway-state.js';
import { checkMessage, type ReceivedMessage } from './message-check.js';

export type { GatewayStats } from './gateway-state.js';
export type { ReceivedMessage } from './message-check.js';

const MAX_BODY_BYTES = 64 * 1024;

export interface GatewaySimulatorOptions {
  /** @defaultValue `127.0.0.1` */
  host?: string;
  /** 0 picks a free port. @defaultValue 0 */
  port?: number;
  /**
   * Path `POST /messages` is served under, as a notify target's `url` with a path
   * (`https://sms.example.gov.cn/gw`) sends it: `POST /gw/messages`. `/oauth/token` and the
   * observer's `/_sim/` are served both at the root and under it. @defaultValue `/`
   */
  basePath?: string;
  /**
   * Serve HTTPS with this PEM certificate and key; with `clientCa`, mutual TLS (a client must
   * present a certificate that CA issued). @defaultValue HTTP
   */
  tls?: SimulatorTls;
  /** When set, every `POST /messages` must carry a valid HMAC signature (province scheme). */
  auth?: { appKey: string; secret: string };
  /**
   * When set, every `POST /messages` must carry a valid OAuth2 bearer token, issued at
   * `POST /oauth/token` here or, for an issuer given as such, by any simulator sharing it.
   * @defaultValue off
   */
  oauth2?: TokenIssuerOptions | TokenIssuer;
  faults?: FaultOptions;
  /** Recipients the gateway cannot reach: answered `code` 1001, `unreachable-recipient`. */
  unreachable?: readonly string[];
  /** @defaultValue `Date.now` */
  clock?: () => number;
  /**
   * File keeping what was sent, the first answer to each idempotency key, the counters and the
   * nonces of requests whose timestamps are still fresh (nonce-store.ts) across restarts: a SQLite database, created (owner-only) when absent. Each message writes only what
   * it added, before its answer goes out. @defaultValue in memory
   */
  stateFile?: string;
}

export interface GatewaySimulator {
  readonly url: string;
  stats(): GatewayStats;
  /** Tokens issued and bearer refusals of the issuer, when `oauth2` is set (zero otherwise). */
  tokens(): TokenCounts;
  /** Every message sent, in order. */
  messages(): ReceivedMessage[];
  close(): Promise<void>;
}

type Reply = GatewayReply;

export async function startGatewaySimulator(
  options: GatewaySimulatorOptions = {},
): Promise<GatewaySimulator> {
  const clock = options.clock ?? Date.now;
  const faults = new FaultPlan(options.faults);
  const state = new GatewayState(options.stateFile);
  const auth = options.auth
    ? new AuthCheck(options.auth.appKey, options.auth.secret, clock, state.nonces())
    : undefined;
  const tokens = TokenIssuer.of(options.oauth2, clock);
  const unreachable = new Set(options.unreachable ?? []);
  const delays = new PendingDelays();
  const { stats } = state;
  const basePath = basePathOf(options.basePath);
  let closing = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) return sendJson(res, refusal(413, 'body-too-large', 'request body too large'));
    // The path under `basePath`, or undefined outside it; the HMAC check reads the whole path, as signed.
    const under = pathUnder(url.pathname, basePath);
    const simPath = url.pathname.startsWith('/_sim/') ? url.pathname : under;
    if (simPath?.startsWith('/_sim/')) {
      if (req.method === 'GET' && simPath === '/_sim/stats')
        return sendJson(res, { status: 200, body: { ...stats } });
      if (req.method === 'GET' && simPath === '/_sim/messages')
        return sendJson(res, { status: 200, body: { messages: state.messages() } });
      return sendJson(res, refusal(404, 'no-such-endpoint', 'no such simulator endpoint'));
    }
    if (tokens && (url.pathname === '/oauth/token' || under === '/oauth/token')) {
      if (req.method !== 'POST') return sendJson(res, refusal(405, 'method-not-allowed', 'use POST'));
      return sendJson(res, tokens.issue(req.headers.authorization, body));
    }
    if (under?.replace(/\/+$/, '') !== '/messages')
      return sendJson(res, refusal(404, 'no-such-endpoint', 'no such endpoint'));
    if (req.method !== 'POST') return sendJson(res, refusal(405, 'method-not-allowed', 'use POST'));

    stats.requests += 1;
    if (faults.latencyMs > 0) await delays.wait(faults.latencyMs);
    if (closing) return;
    const fault = faults.next();
    if (fault === 'timeout') {
      stats.faultsInjected += 1;
      return;
    }
    if (fault === 'throttle' || fault === 'error') {
      stats.faultsInjected += 1;
      const status = fault === 'throttle' ? 429 : 503;
      const headers: Record<string, string> =
        fault === 'throttle' || faults.retryAfterSeconds !== undefined
          ? { 'retry-after': String(faults.retryAfterSeconds ?? 1) }
          : {};
      return sendJson(
        res,
        refusal(status, fault === 'throttle' ? 'too-many-requests' : 'unavailable', 'injected'),
        headers,
      );
    }
    if (auth) {
      const verdict = auth.check({
        method: req.method ?? '',
        path: req.url ?? '/',
        headers: req.headers,
        body,
      });
      if (!verdict.ok) {
        stats.authFailures += 1;
        return sendJson(res, refusal(401, verdict.reason, verdict.message));
      }
    }
    if (tokens && !tokens.admits(req.headers.authorization)) {
      stats.authFailures += 1;
      return sendJson(
        res,
        refusal(401, 'invalid-token', 'bearer token missing, unknown, revoked or expired'),
      );
    }
    const header = req.headers['idempotency-key'];
    const key = typeof header === 'string' && header !== '' ? header : undefined;
    if (!key) return sendJson(res, refusal(400, 'no-idempotency-key', 'Idempotency-Key is required'));
    const first = state.answer(key);
    if (first) {
      stats.replays += 1;
      return sendJson(res, first, { 'idempotent-replayed': 'true' });
    }
    // Remembered (on disk, with a state file) before the answer goes out: a caller that died
    // meanwhile, or retried after a restart, gets it on its retry.
    const reply = state.record(key, () => processMessage(body, key));
    if (!closing) sendJson(res, reply);
  }

  function processMessage(body: Buffer, idempotencyKey: string): { reply: Reply; message?: ReceivedMessage } {
    const checked = checkMessage(body);
    if (!checked.ok) {
      stats.refused += 1;
      return { reply: refusal(400, checked.reason, checked.message) };
    }
    if (unreachable.has(checked.message.recipient)) {
      stats.refused += 1;
      return { reply: { status: 200, body: { code: 1001, reason: 'unreachable-recipient' } } };
    }
    const messageId = `msg-${randomUUID()}`;
    stats.sent += 1;
    return {
      reply: { status: 200, body: { code: 0, messageId } },
      message: { ...checked.message, messageId, idempotencyKey, receivedAt: clock() },
    };
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) sendJson(res, refusal(500, 'internal', 'simulator error'));
    });
  };
  const server = simulatorServer(options.tls, onRequest);
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
    stats: () => ({ ...stats }),
    tokens: () => ({ ...(tokens?.counts ?? { issued: 0, refused: 0 }) }),
    messages: () => state.messages(),
    close: async () => {
      if (closing) return;
      closing = true;
      delays.releaseAll();
      await closeHttpServer(server);
      // Counters such as `requests` change without a message; written once more on the way out.
      state.close();
    },
  };
}

function refusal(status: number, reason: string, message: string): Reply {
  return { status, body: { code: status, reason, message } };
}
