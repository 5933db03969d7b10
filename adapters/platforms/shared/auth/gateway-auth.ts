/**
 * Gateway headers as government API gateways issue them (STANDARDS.md §5, "x-tif" style):
 * `x-tif-signature = hex(SHA-256(timestamp + token + nonce + timestamp))`, timestamp in unix
 * seconds. The gateway checks the signature, refuses stale timestamps and remembers nonces.
 */
import { createHash } from 'node:crypto';
import type { GatewayAuthConfig } from '../../../../config/target-types.js';
import { type AuthOptions, type AuthStrategy, defaultNonce } from './auth-strategy.js';

export function gatewaySignature(timestamp: string, token: string, nonce: string): string {
  return createHash('sha256').update(`${timestamp}${token}${nonce}${timestamp}`, 'utf8').digest('hex');
}

export class GatewayAuth implements AuthStrategy {
  private readonly clock: () => number;
  private readonly nonce: () => string;

  constructor(
    private readonly config: Pick<GatewayAuthConfig, 'paasId' | 'token'>,
    options: AuthOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.nonce = options.nonce ?? defaultNonce;
  }

  async headers(): Promise<Record<string, string>> {
    const timestamp = String(Math.floor(this.clock() / 1000));
    const nonce = this.nonce();
    return {
      'x-tif-paasid': this.config.paasId,
      'x-tif-timestamp': timestamp,
      'x-tif-nonce': nonce,
      'x-tif-signature': gatewaySignature(timestamp, this.config.token, nonce),
    };
  }

  toJSON(): Record<string, string> {
    return { scheme: 'gateway', paasId: this.config.paasId };
  }
}
