/**
 * HMAC request signing (the "sorted-parameter HMAC with timestamp in ms" family, STANDARDS.md §5):
 * `x-lb-signature = hex(HMAC-SHA256(secret, method \n path \n timestamp \n nonce \n sha256hex(body)))`.
 * Signing the body hash binds the signature to the payload; the nonce and the timestamp let the
 * platform refuse replays and stale requests.
 */
import { createHash, createHmac } from 'node:crypto';
import type { HmacAuthConfig } from '../../../../config/target-types.js';
import { type AuthOptions, type AuthRequest, type AuthStrategy, defaultNonce } from './auth-strategy.js';

/** The string that is signed; exported so that platform documentation and tests can show it. */
export function hmacCanonicalString(req: AuthRequest, timestamp: string, nonce: string): string {
  const bytes = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
  const bodyHash = createHash('sha256').update(bytes).digest('hex');
  return `${req.method.toUpperCase()}\n${req.path}\n${timestamp}\n${nonce}\n${bodyHash}`;
}

export class HmacAuth implements AuthStrategy {
  private readonly appKey: string;
  private readonly secret: string;
  private readonly clock: () => number;
  private readonly nonce: () => string;

  constructor(config: Pick<HmacAuthConfig, 'appKey' | 'secret'>, options: AuthOptions = {}) {
    this.appKey = config.appKey;
    this.secret = config.secret;
    this.clock = options.clock ?? Date.now;
    this.nonce = options.nonce ?? defaultNonce;
  }

  async headers(req: AuthRequest): Promise<Record<string, string>> {
    const timestamp = String(Math.trunc(this.clock()));
    const nonce = this.nonce();
    const signature = createHmac('sha256', this.secret)
      .update(hmacCanonicalString(req, timestamp, nonce), 'utf8')
      .digest('hex');
    return {
      'x-lb-appkey': this.appKey,
      'x-lb-timestamp': timestamp,
      'x-lb-nonce': nonce,
      'x-lb-signature': signature,
    };
  }

  /** Keeps the secret out of logs and error reports that print the strategy. */
  toJSON(): Record<string, string> {
    return { scheme: 'hmac', appKey: this.appKey };
  }
}
