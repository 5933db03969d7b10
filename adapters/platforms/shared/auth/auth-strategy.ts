/**
 * How an HTTP target (REST/JSON platforms, the notify gateway) proves who is calling. Platforms
 * differ (STANDARDS.md §5: HMAC over the request, gateway headers, app key + md5, OAuth2 tokens),
 * so each scheme is a strategy that turns the exact request about to be sent into headers. Clock
 * and nonce are injectable so tests can produce stale timestamps and replayed nonces on purpose.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../../core/logger.js';
import type { AuthConnection } from './credential-request.js';
import type { TokenShare } from './token-share.js';

export interface AuthRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Request target as sent: path plus query string, e.g. `/api/licenses/batch`. */
  path: string;
  /** The exact body sent: a string is its UTF-8 bytes (`''` for GET); a multipart body is bytes. */
  body: string | Buffer;
}

export interface AuthStrategy {
  headers(req: AuthRequest): Promise<Record<string, string>>;
  /**
   * Renews refreshable credentials (a rotated secret, an expired token) after the platform
   * refused them; resolves true when a retry may now pass. Optional: static schemes have none.
   * `refused` are the headers the refused request carried: credentials renewed since (by another
   * request refused at the same time) are kept, and the answer is true at once. A renewal the
   * platform cannot serve right now (408, 429, 5xx, no answer) throws a retryable error.
   */
  refresh?(refused?: Record<string, string>): Promise<boolean>;
}

export interface AuthOptions {
  /** Unix ms. @defaultValue `Date.now` */
  clock?: () => number;
  /** A fresh one-time value per request. @defaultValue 16 random bytes as hex */
  nonce?: () => string;
  /**
   * The target the strategy works for: its own requests (token, secret) to the target's host go
   * over the target's connection and `tls` (credential-request.ts). @defaultValue none: Node's
   * roots, no client certificate
   */
  connection?: AuthConnection;
  /** Where a scheme says what it had to assume (an unreadable token lifetime). @defaultValue the root logger */
  logger?: Logger;
  /**
   * Where the deployment's processes share one OAuth2 token per platform client (token-share.ts:
   * Redis). @defaultValue none: each process fetches and keeps its own
   */
  tokenShare?: TokenShare;
}

export const defaultNonce = (): string => randomBytes(16).toString('hex');

/** For platforms reached over a trusted link (a front-end network) that want no credentials. */
export class NoAuth implements AuthStrategy {
  async headers(): Promise<Record<string, string>> {
    return {};
  }
}
