/**
 * App key + md5 signing (STANDARDS.md §5): `sign = md5(appKey + secret + requestTime)`, with
 * `requestTime` in unix ms. Platforms of this family rotate the secret and offer an API to fetch
 * the current one; `refresh()` calls it, and the target calls `refresh()` once on a 401.
 * A refresh endpoint that is busy or down (408, 429, 5xx, no answer) is retryable, not a refusal.
 *
 * STANDARDS.md §5 says the secret is "refreshed by an API", not whether a refresh retires the
 * secret before it. Where it does, processes refreshing on their own knock each other out, as
 * OAuth2 token requests do: so with a `tokenShare` (Redis, token-share.ts) the refreshed secret is
 * shared the same way — read before the first request, refreshed by one process under a short
 * lock, refreshed again only by a process refused with the secret still shared.
 */
import { createHash } from 'node:crypto';
import type { AppKeyMd5AuthConfig } from '../../../../config/target-types.js';
import { type Logger, rootLogger } from '../../../../core/logger.js';
import type { AuthOptions, AuthStrategy } from './auth-strategy.js';
import {
  type AuthConnection,
  credentialRequestMs,
  credentialWhat,
  sendCredentialRequest,
} from './credential-request.js';
import { answeredWithoutCredentials } from './credentials-failure.js';
import { EndpointPause } from './endpoint-pause.js';
import { SharedCredential } from './token-share.js';

/**
 * How long a refreshed secret stays in the share, ms. A secret gives no lifetime; a day bounds
 * how long an entry outlives a rotation nobody was refused for, while processes starting within
 * it take the current secret rather than refreshing (and retiring it) on their own.
 */
const SHARED_SECRET_TTL_MS = 24 * 3600_000;

export function md5Sign(appKey: string, secret: string, requestTime: string): string {
  return createHash('md5').update(`${appKey}${secret}${requestTime}`, 'utf8').digest('hex');
}

export class AppKeyMd5Auth implements AuthStrategy {
  private secret: string;
  private pending: Promise<string> | undefined;
  private readonly clock: () => number;
  private readonly connection: AuthConnection | undefined;
  private readonly shared: SharedCredential | undefined;
  /** The shared secret read before the first request: once per process. */
  private adopting: Promise<void> | undefined;

  constructor(
    private readonly config: Pick<AppKeyMd5AuthConfig, 'appKey' | 'secret' | 'refreshUrl' | 'tls'>,
    options: AuthOptions = {},
  ) {
    this.secret = config.secret;
    this.clock = options.clock ?? Date.now;
    this.connection = options.connection;
    const log: Logger = options.logger ?? rootLogger();
    this.shared =
      options.tokenShare && config.refreshUrl
        ? new SharedCredential(
            options.tokenShare,
            // Sealed under the configured secret: every process of the deployment has it.
            { tokenUrl: config.refreshUrl, clientId: config.appKey, clientSecret: config.secret },
            'appkey-secret',
            (what, err) =>
              log.warn(
                { target: this.connection?.target, err },
                `${credentialWhat(this.connection, 'auth appkey-md5')}: ${
                  what === 'keys'
                    ? 'the key to share the refreshed secret under cannot be derived from the configured secret (scrypt)'
                    : 'the shared secret store (Redis) cannot be reached'
                }; this process refreshes and keeps a secret of its own, which may retire the other processes' secret where a refresh retires the one before`,
              ),
          )
        : undefined;
  }

  async headers(): Promise<Record<string, string>> {
    if (this.shared) {
      // Another process may have refreshed already: its secret, not the configured one, is valid.
      const shared = this.shared;
      this.adopting ??= shared
        .read(() => true)
        .then((held) => {
          if (held) this.secret = held.value;
        });
      await this.adopting;
    }
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
    const refreshUrl = this.config.refreshUrl;
    this.pending ??= this.renew(refreshUrl, timeoutMs).finally(() => {
      this.pending = undefined;
    });
    this.secret = await this.pending;
    return true;
  }

  /** The secret to sign with after `this.secret` was refused: the shared one if newer, else a refreshed one. */
  private async renew(refreshUrl: string, timeoutMs: number): Promise<string> {
    if (!this.shared) return this.fetchSecret(refreshUrl, timeoutMs);
    const stale = this.secret;
    // Dropped only while the shared entry is the refused secret: one refreshed since stays.
    await this.shared.dropIf(stale);
    const held = await this.shared.obtain(
      (s) => s.value !== stale,
      async () => ({
        value: await this.fetchSecret(refreshUrl, timeoutMs),
        renewAt: this.clock() + SHARED_SECRET_TTL_MS,
      }),
      () => SHARED_SECRET_TTL_MS,
      credentialRequestMs(timeoutMs),
    );
    return held.value;
  }

  private async fetchSecret(refreshUrl: string, timeoutMs: number): Promise<string> {
    const origin = new URL(refreshUrl).origin;
    const requestTime = String(Math.trunc(this.clock()));
    const what = 'auth appkey-md5: secret refresh';
    // A wait the endpoint asked every caller for holds every target's refreshes there (./endpoint-pause.ts).
    const pause = new EndpointPause(credentialWhat(this.connection, what), origin, this.connection?.target);
    pause.hold();
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
      const error = answeredWithoutCredentials(
        credentialWhat(this.connection, what),
        origin,
        res,
        this.clock(),
        this.connection?.target,
        { url: refreshUrl, setting: 'the refreshUrl' },
      );
      pause.note(error);
      throw error;
    }
    return next;
  }

  toJSON(): Record<string, string> {
    return { scheme: 'appkey-md5', appKey: this.config.appKey };
  }
}
