/**
 * App key + md5 signing (STANDARDS.md §5): `sign = md5(appKey + secret + requestTime)`, with
 * `requestTime` in unix ms. Platforms of this family rotate the secret and offer an API to fetch
 * the current one; `refresh()` calls it, and the target calls `refresh()` once on a 401.
 * A refresh endpoint that is busy or down (408, 429, 5xx, no answer) is retryable, not a refusal.
 */
import { createHash } from 'node:crypto';
import type { AppKeyMd5AuthConfig } from '../../../../config/target-types.js';
import type { AuthOptions, AuthStrategy } from './auth-strategy.js';
import { type AuthConnection, credentialWhat, sendCredentialRequest } from './credential-request.js';
import { credentialsFailure } from './credentials-failure.js';

export function md5Sign(appKey: string, secret: string, requestTime: string): string {
  return createHash('md5').update(`${appKey}${secret}${requestTime}`, 'utf8').digest('hex');
}

export class AppKeyMd5Auth implements AuthStrategy {
  private secret: string;
  private pending: Promise<string> | undefined;
  private readonly clock: () => number;
  private readonly connection: AuthConnection | undefined;

  constructor(
    private readonly config: Pick<AppKeyMd5AuthConfig, 'appKey' | 'secret' | 'refreshUrl' | 'tls'>,
    options: AuthOptions = {},
  ) {
    this.secret = config.secret;
    this.clock = options.clock ?? Date.now;
    this.connection = options.connection;
  }

  async headers(): Promise<Record<string, string>> {
    const requestTime = String(Math.trunc(this.clock()));
    return {
      appKey: this.config.appKey,
      requestTime,
      sign: md5Sign(this.config.appKey, this.secret, requestTime),
    };
  }

  /**
   * Fetches the current secret; returns false when no refresh URL is configured. When the refused
   * request was signed with an older secret than the one held now (another request refused at
   * the same time fetched it), nothing is fetched: the retry signs with the new one. Requests
   * refused together share one fetch.
   */
  async refresh(refused?: Record<string, string>, timeoutMs = 10_000): Promise<boolean> {
    if (!this.config.refreshUrl) return false;
    const { sign, requestTime } = refused ?? {};
    if (
      sign !== undefined &&
      requestTime !== undefined &&
      sign !== md5Sign(this.config.appKey, this.secret, requestTime)
    ) {
      return true;
    }
    this.pending ??= this.fetchSecret(this.config.refreshUrl, timeoutMs).finally(() => {
      this.pending = undefined;
    });
    this.secret = await this.pending;
    return true;
  }

  private async fetchSecret(refreshUrl: string, timeoutMs: number): Promise<string> {
    const origin = new URL(refreshUrl).origin;
    const requestTime = String(Math.trunc(this.clock()));
    const what = 'auth appkey-md5: secret refresh';
    // No answer says nothing about the secret: retryable, and the cause without the request
    // (it carries the signed query). A signed request follows no redirect: replayed to wherever
    // `Location` points, its signature would fetch the secret for whoever holds it.
    const res = await sendCredentialRequest(
      this.connection,
      what,
      {
        method: 'GET',
        url: refreshUrl,
        params: {
          appKey: this.config.appKey,
          requestTime,
          sign: md5Sign(this.config.appKey, this.secret, requestTime),
        },
        timeoutMs,
      },
      this.config.tls,
    );
    let next: unknown;
    try {
      next = (JSON.parse(res.text) as { secret?: unknown } | null)?.secret;
    } catch {
      next = undefined;
    }
    if (res.status !== 200 || typeof next !== 'string' || next === '') {
      throw credentialsFailure(
        credentialWhat(this.connection, what),
        origin,
        res.status,
        res.headers['retry-after'],
        this.clock(),
        this.connection?.target,
      );
    }
    return next;
  }

  toJSON(): Record<string, string> {
    return { scheme: 'appkey-md5', appKey: this.config.appKey };
  }
}
