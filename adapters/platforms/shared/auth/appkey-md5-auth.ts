/**
 * App key + md5 signing (STANDARDS.md §5): `sign = md5(appKey + secret + requestTime)`, with
 * `requestTime` in unix ms. Platforms of this family rotate the secret and offer an API to fetch
 * the current one; `refresh()` calls it, and the target calls `refresh()` once on a 401.
 */
import { createHash } from 'node:crypto';
import axios from 'axios';
import type { AppKeyMd5AuthConfig } from '../../../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import type { AuthOptions, AuthStrategy } from './auth-strategy.js';

export function md5Sign(appKey: string, secret: string, requestTime: string): string {
  return createHash('md5').update(`${appKey}${secret}${requestTime}`, 'utf8').digest('hex');
}

export class AppKeyMd5Auth implements AuthStrategy {
  private secret: string;
  private readonly clock: () => number;

  constructor(
    private readonly config: Pick<AppKeyMd5AuthConfig, 'appKey' | 'secret' | 'refreshUrl'>,
    options: AuthOptions = {},
  ) {
    this.secret = config.secret;
    this.clock = options.clock ?? Date.now;
  }

  async headers(): Promise<Record<string, string>> {
    const requestTime = String(Math.trunc(this.clock()));
    return {
      appKey: this.config.appKey,
      requestTime,
      sign: md5Sign(this.config.appKey, this.secret, requestTime),
    };
  }

  /** Fetches the current secret; returns false when no refresh URL is configured. */
  async refresh(timeoutMs = 10_000): Promise<boolean> {
    if (!this.config.refreshUrl) return false;
    const requestTime = String(Math.trunc(this.clock()));
    const res = await axios.get<{ secret?: unknown }>(this.config.refreshUrl, {
      params: {
        appKey: this.config.appKey,
        requestTime,
        sign: md5Sign(this.config.appKey, this.secret, requestTime),
      },
      timeout: timeoutMs,
      validateStatus: () => true,
    });
    const next = res.data?.secret;
    if (res.status !== 200 || typeof next !== 'string' || next === '') {
      throw new LicbridgeError(
        ErrorCodes.TARGET_AUTH,
        `auth appkey-md5: secret refresh failed: HTTP ${res.status} from ${new URL(this.config.refreshUrl).origin}`,
      );
    }
    this.secret = next;
    return true;
  }

  toJSON(): Record<string, string> {
    return { scheme: 'appkey-md5', appKey: this.config.appKey };
  }
}
