/**
 * The province platform's app key + md5 scheme (STANDARDS.md §5: `sign = md5(appKey + secret +
 * requestTime)`, "secret refreshed by an API"), as the simulator serves it: every API request is
 * signed with a valid secret, and `GET /auth/secret?appKey=…&requestTime=…&sign=…` hands out a
 * new one.
 *
 * STANDARDS.md says the secret is refreshed by an API but not what a refresh does to the secret
 * before it. Where the platform keeps one valid secret per app key, a refresh retires the one
 * before (`previous: 'revoked'`); elsewhere earlier secrets stay valid (`previous: 'kept'`). Both
 * are served. The refresh call itself proves the caller with any secret the app key was ever
 * given (the configured one, or one retired since): a process left with a retired secret can
 * still ask for the current one, as the platforms' refresh APIs allow.
 *
 * Written apart from the client's `appkey-md5-auth.ts` on purpose, as auth-check.ts is for HMAC.
 * A signature is taken only while its `requestTime` (unix ms) is within 5 minutes of the
 * platform's clock, as auth-check.ts takes a timestamp: that is what the time in the signature is
 * for. Taken whatever it said, a signature captured an hour before, or made by a clock or in a
 * unit that is off, passed here and nowhere else.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface SecretIssuerOptions {
  appKey: string;
  /** The secret the app key starts with (the one in the unit's config). */
  secret: string;
  /**
   * What a refresh does to the app key's earlier secrets: `revoked`, one valid secret per app key;
   * `kept`, they stay valid. @defaultValue `revoked`
   */
  previous?: 'revoked' | 'kept';
}

export interface SecretCounts {
  /** Secrets handed out at `GET /auth/secret`. */
  refreshed: number;
  /** API requests refused for a missing or wrong signature, or a retired secret. */
  refused: number;
}

export type SecretReply = { status: number; body: Record<string, unknown> };

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

/** Allowed distance between a signature's `requestTime` and the platform's clock, ms. */
export const MAX_REQUEST_TIME_SKEW_MS = 5 * 60 * 1000;

export class SecretIssuer {
  /** Secrets that sign API requests now. */
  private readonly valid = new Set<string>();
  /** Every secret the app key was given: any of them proves a refresh call. */
  private readonly given = new Set<string>();
  readonly counts: SecretCounts = { refreshed: 0, refused: 0 };

  constructor(
    private readonly options: SecretIssuerOptions,
    /** Unix ms, which a signature's `requestTime` is checked against. */
    private readonly clock: () => number = Date.now,
  ) {
    this.valid.add(options.secret);
    this.given.add(options.secret);
  }

  /** Answers `GET /auth/secret`: a new secret for a call signed with one the app key was given. */
  refresh(query: URLSearchParams): SecretReply {
    if (!this.signedWith(this.given, query.get('appKey'), query.get('requestTime'), query.get('sign'))) {
      return { status: 401, body: { code: 401, reason: 'bad-sign' } };
    }
    if ((this.options.previous ?? 'revoked') === 'revoked') this.valid.clear();
    const secret = randomBytes(18).toString('base64url');
    this.valid.add(secret);
    this.given.add(secret);
    this.counts.refreshed += 1;
    return { status: 200, body: { secret } };
  }

  /** Whether an API request is signed with a valid secret; counts a refusal. */
  admits(headers: IncomingHttpHeaders): boolean {
    const one = (name: string): string | null => {
      const v = headers[name];
      return typeof v === 'string' ? v : null;
    };
    if (this.signedWith(this.valid, one('appkey'), one('requesttime'), one('sign'))) return true;
    this.counts.refused += 1;
    return false;
  }

  /** The platform retires every secret it handed out (an operator rotating it); refreshes still pass. */
  rotate(): void {
    this.valid.clear();
    const secret = randomBytes(18).toString('base64url');
    this.valid.add(secret);
    this.given.add(secret);
  }

  private signedWith(
    secrets: ReadonlySet<string>,
    appKey: string | null,
    requestTime: string | null,
    sign: string | null,
  ): boolean {
    if (appKey !== this.options.appKey || requestTime === null || sign === null) return false;
    const at = /^\d{1,16}$/.test(requestTime) ? Number(requestTime) : Number.NaN;
    if (!Number.isFinite(at) || Math.abs(this.clock() - at) > MAX_REQUEST_TIME_SKEW_MS) return false;
    for (const s of secrets) if (md5(`${appKey}${s}${requestTime}`) === sign) return true;
    return false;
  }
}
