/**
 * Request authentication for the signing server, as a strategy per configured scheme. The clock
 * and nonce are injectable so the server side (and tests) can check exact signatures.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { RemoteSignerAuthConfig } from './config.js';

export interface AuthInput {
  method: string;
  /** Path with query, as sent (`/v1/keys/seal/sign`). */
  path: string;
  body: string;
}

export type AuthHeaders = (input: AuthInput) => Record<string, string>;

export interface AuthSeams {
  /** Unix ms. @defaultValue `Date.now` */
  clock?: () => number;
  /** @defaultValue 16 random bytes, hex */
  nonce?: () => string;
}

/** The string an HMAC request signature covers: method, path, timestamp, nonce, hex SM3(body). */
export function hmacPayload(input: AuthInput, timestamp: string, nonce: string): string {
  const bodyHash = createHash('sm3').update(input.body, 'utf8').digest('hex');
  return [input.method.toUpperCase(), input.path, timestamp, nonce, bodyHash].join('\n');
}

export function hmacSignature(secret: string, payload: string): string {
  return createHmac('sm3', secret).update(payload, 'utf8').digest('hex');
}

export function createRemoteAuth(config: RemoteSignerAuthConfig, seams: AuthSeams = {}): AuthHeaders {
  switch (config.scheme) {
    case 'none':
      return () => ({});
    case 'bearer':
      return () => ({ authorization: `Bearer ${config.token}` });
    case 'hmac': {
      const clock = seams.clock ?? Date.now;
      const nonce = seams.nonce ?? (() => randomBytes(16).toString('hex'));
      return (input) => {
        const ts = String(clock());
        const n = nonce();
        return {
          'x-lb-app-key': config.appKey,
          'x-lb-timestamp': ts,
          'x-lb-nonce': n,
          'x-lb-signature': hmacSignature(config.secret, hmacPayload(input, ts, n)),
        };
      };
    }
  }
}
