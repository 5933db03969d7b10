/**
 * A real HTTP server standing in for a signing server (签名验签服务器): real SM2 signatures,
 * configurable latency per request, a capacity cap in signatures per second, optional auth
 * (bearer or HMAC-SM3, as the remote signer sends them) and injected faults (HTTP 503 or a
 * request left unanswered until the client times out).
 *
 * Endpoints: `GET /v1/keys/:label`, `POST /v1/keys/:label/sign` and `GET /_sim/stats` (never
 * authenticated or faulted: the observer's window).
 *
 * HMAC auth is checked as a signing server checks it (docs/signatures.md `auth`): the signature,
 * a timestamp within 5 minutes of the server's clock and a nonce not seen while its timestamp is
 * fresh. Written apart from the remote signer's `auth.ts` on purpose: sharing its functions, a
 * wrong canonical string would pass here, and a replayed or stale request was signed again.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryNonces } from '../nonce-store.js';
import { Capacity, SigningDevice, type SimulatedKey } from './device.js';

/** Allowed distance between a request's `x-lb-timestamp` and the server's clock, ms. */
const MAX_SKEW_MS = 5 * 60 * 1000;

export type { SimulatedKey } from './device.js';

export interface SigningServerFaults {
  /** Share of sign requests that fail, 0–1. @defaultValue 0 */
  rate: number;
  /** How a faulty request fails. @defaultValue `['error']` */
  kinds?: readonly ('error' | 'timeout')[];
  /** Source of randomness in [0, 1), for reproducible tests. @defaultValue `Math.random` */
  random?: () => number;
}

export interface SigningServerSimulatorOptions {
  /** @defaultValue `127.0.0.1` */
  host?: string;
  /** 0 picks a free port. @defaultValue 0 */
  port?: number;
  /** Keys by label. */
  keys: Readonly<Record<string, SimulatedKey>>;
  /** Added to every sign request, ms. @defaultValue 0 */
  latencyMs?: number;
  /** Signatures per second across all requests; 0 is unlimited. @defaultValue 0 */
  capacityPerSecond?: number;
  faults?: SigningServerFaults;
  auth?: { scheme: 'bearer'; token: string } | { scheme: 'hmac'; appKey: string; secret: string };
  /** Digests one request may carry. @defaultValue 10000 */
  maxBatch?: number;
  /** Unix ms, which HMAC timestamps are checked against. @defaultValue `Date.now` */
  clock?: () => number;
}

export interface SigningServerStats {
  requests: number;
  signed: number;
  faults: number;
  rejected: number;
}

export interface SigningServerSimulator {
  readonly url: string;
  stats(): SigningServerStats;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSigningServerSimulator(
  options: SigningServerSimulatorOptions,
): Promise<SigningServerSimulator> {
  const devices = new Map<string, SigningDevice>();
  for (const [label, key] of Object.entries(options.keys)) devices.set(label, new SigningDevice(label, key));
  const capacity = new Capacity(options.capacityPerSecond ?? 0);
  const latency = options.latencyMs ?? 0;
  const random = options.faults?.random ?? Math.random;
  const kinds = options.faults?.kinds ?? ['error'];
  const stats: SigningServerStats = { requests: 0, signed: 0, faults: 0, rejected: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const clock = options.clock ?? Date.now;
  const nonces = new MemoryNonces();
  const authorized = (req: IncomingMessage, path: string, body: string): boolean => {
    const auth = options.auth;
    if (!auth) return true;
    if (auth.scheme === 'bearer') return req.headers.authorization === `Bearer ${auth.token}`;
    const h = (name: string) => {
      const v = req.headers[name];
      return typeof v === 'string' ? v : '';
    };
    const [timestamp, nonce, signature] = [h('x-lb-timestamp'), h('x-lb-nonce'), h('x-lb-signature')];
    if (h('x-lb-app-key') !== auth.appKey || nonce === '') return false;
    const ts = /^\d{1,16}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    const now = clock();
    if (!Number.isFinite(ts) || Math.abs(now - ts) > MAX_SKEW_MS) return false;
    const bodySm3 = createHash('sm3').update(Buffer.from(body, 'utf8')).digest('hex');
    const canonical = `${(req.method ?? 'GET').toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${bodySm3}`;
    const expected = createHmac('sm3', auth.secret).update(canonical, 'utf8').digest();
    const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    // Claimed after the signature, so forged requests cannot use up a caller's nonces.
    return nonces.claim(nonce, ts + MAX_SKEW_MS, now);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    if (req.method === 'GET' && path === '/_sim/stats') return send(res, 200, stats);
    const body = await readBody(req);
    if (body === null) return send(res, 413, { error: 'request too large' });
    // Under any base path, the query left out: a signer's `url` may carry both
    // (`https://sign.example.gov.cn/api?tenant=3702`), and sends the key routes below its path with
    // its query after them. The HMAC covers the path and query as sent (`path`).
    const route = path.split('?', 1)[0] as string;
    const m = /\/v1\/keys\/([^/]+)(\/sign)?$/.exec(route);
    const device = m ? devices.get(decodeURIComponent(m[1] as string)) : undefined;
    if (!m || !device) return send(res, 404, { error: 'no such key' });
    if (!authorized(req, path, body)) {
      stats.rejected++;
      return send(res, 401, { error: 'authentication failed' });
    }
    if (!m[2]) {
      if (req.method !== 'GET') return send(res, 405, { error: 'method not allowed' });
      return send(res, 200, { publicKey: device.publicKeyPem, certificate: device.certificatePem });
    }
    if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' });
    stats.requests++;
    let digests: Buffer[];
    try {
      const parsed = JSON.parse(body) as { digests?: unknown };
      if (!Array.isArray(parsed.digests)) throw new Error('digests must be an array');
      if (parsed.digests.length > (options.maxBatch ?? 10_000)) throw new Error('too many digests');
      digests = parsed.digests.map((d) => {
        if (typeof d !== 'string' || !/^[0-9a-f]{64}$/i.test(d))
          throw new Error('a digest is not 64 hex digits');
        return Buffer.from(d, 'hex');
      });
    } catch (e) {
      return send(res, 400, { error: (e as Error).message });
    }
    if (options.faults && options.faults.rate > 0 && random() < options.faults.rate) {
      stats.faults++;
      const kind = kinds[Math.floor(random() * kinds.length)] ?? 'error';
      // A timeout holds the request open; the client's timeout ends it (close() ends it too).
      if (kind === 'timeout') return;
      await wait(latency);
      return send(res, 503, { error: 'device busy (simulated fault)' });
    }
    await wait(latency + capacity.reserve(digests.length, Date.now()));
    const signatures = device.sign(digests).map((s) => Buffer.from(s).toString('base64'));
    stats.signed += signatures.length;
    send(res, 200, { signatures });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { error: (e as Error).message });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    stats: () => ({ ...stats }),
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
