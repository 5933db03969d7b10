/**
 * The province platform's request authentication, as the simulator enforces it: an app key, a
 * unix-ms timestamp, a one-time nonce and a lowercase hex HMAC-SHA256 over
 * `${method}\n${path}\n${timestamp}\n${nonce}\n${sha256hex(body)}`, where `path` is the request
 * target as sent (path plus query string).
 *
 * Written independently of the client's `hmac-auth.ts` on purpose: if both sides shared one
 * signing function, a wrong canonical string would pass every test.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { MemoryNonces, type NonceStore } from '../nonce-store.js';

/** Allowed distance between the caller's timestamp and the platform's clock. */
export const MAX_SKEW_MS = 5 * 60 * 1000;

export type AuthRefusal =
  | 'missing-credentials'
  | 'unknown-appkey'
  | 'bad-signature'
  | 'stale-timestamp'
  | 'replayed-nonce';

export interface AuthInput {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Lowercase hex SHA-256 of `body` when the caller has it already (the idempotency check hashes it too). */
  bodySha256?: string;
}

export type AuthResult = { ok: true } | { ok: false; reason: AuthRefusal; message: string };

function header(headers: AuthInput['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export class AuthCheck {
  /**
   * `nonces` keeps each nonce while its timestamp is inside the window: in the state file when the
   * simulator has one, so a request replayed after a restart is refused as well.
   */
  constructor(
    private readonly appKey: string,
    private readonly secret: string,
    private readonly clock: () => number,
    private readonly nonces: NonceStore = new MemoryNonces(),
  ) {}

  check(req: AuthInput): AuthResult {
    const appKey = header(req.headers, 'x-lb-appkey');
    const timestamp = header(req.headers, 'x-lb-timestamp');
    const nonce = header(req.headers, 'x-lb-nonce');
    const signature = header(req.headers, 'x-lb-signature');
    if (!appKey || !timestamp || !nonce || !signature) {
      return refuse(
        'missing-credentials',
        'x-lb-appkey, x-lb-timestamp, x-lb-nonce and x-lb-signature are required',
      );
    }
    if (appKey !== this.appKey) return refuse('unknown-appkey', 'unknown app key');

    const ts = /^\d{1,16}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    const now = this.clock();
    if (!Number.isFinite(ts) || Math.abs(now - ts) > MAX_SKEW_MS) {
      return refuse(
        'stale-timestamp',
        'timestamp is missing, malformed or more than 5 minutes from server time',
      );
    }

    const bodyHash = req.bodySha256 ?? createHash('sha256').update(req.body).digest('hex');
    const canonical = `${req.method}\n${req.path}\n${timestamp}\n${nonce}\n${bodyHash}`;
    const expected = createHmac('sha256', this.secret).update(canonical).digest();
    const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refuse('bad-signature', 'signature does not match');
    }

    // Checked after the signature so that forged requests cannot use up a legitimate caller's nonces.
    if (!this.nonces.claim(nonce, ts + MAX_SKEW_MS, now))
      return refuse('replayed-nonce', 'nonce was already used');
    return { ok: true };
  }
}

function refuse(reason: AuthRefusal, message: string): AuthResult {
  return { ok: false, reason, message };
}
