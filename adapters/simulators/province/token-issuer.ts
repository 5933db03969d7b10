/**
 * The province platform's OAuth2 client_credentials endpoint (RFC 6749 §4.4), as the simulator
 * serves it at `POST /oauth/token`, and the bearer check of the platform's API.
 *
 * STANDARDS.md §5 gives these platforms' tokens (about 7,200 s) but not what issuing one does to
 * the client's earlier token. Some identity services keep one valid token per client, so a new one
 * retires the one before (`previous: 'revoked'`); others let several live side by side until each
 * expires (`previous: 'kept'`). Both are served, so the client is tested against either.
 *
 * Written apart from the client's `oauth2-auth.ts` on purpose, as auth-check.ts is for HMAC.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenIssuerOptions {
  clientId: string;
  clientSecret: string;
  /** `expires_in` of each token, s. @defaultValue 7200 (STANDARDS.md §5) */
  expiresInSeconds?: number;
  /**
   * What a new token does to the client's earlier ones: `revoked`, one valid token per client;
   * `kept`, each lives until it expires. @defaultValue `revoked`
   */
  previous?: 'revoked' | 'kept';
  /**
   * How the client's id and secret are read from the HTTP Basic header: `raw`, compared as they
   * stand; `form-urlencoded`, each decoded first as RFC 6749 §2.3.1 has it (`+` a space, `%XX` a
   * byte), as Keycloak and Spring Authorization Server do, so a secret sent raw with `+` or `%` in
   * it is refused there as it is here. @defaultValue `raw`
   */
  basicEncoding?: 'raw' | 'form-urlencoded';
}

/** A token's lifetime when the options give none, s (STANDARDS.md §5). */
const EXPIRES_IN_SECONDS = 7200;

export interface TokenCounts {
  /** Tokens issued at `POST /oauth/token`. */
  issued: number;
  /** API requests refused for a missing, unknown, revoked or expired bearer token. */
  refused: number;
}

export type TokenReply = { status: number; body: Record<string, unknown> };

export class TokenIssuer {
  /** Valid tokens and when each expires, unix ms. */
  private readonly valid = new Map<string, number>();
  readonly counts: TokenCounts = { issued: 0, refused: 0 };

  constructor(
    private readonly options: TokenIssuerOptions,
    private readonly clock: () => number,
  ) {}

  /**
   * The issuer a simulator's `oauth2` option names: one given (shared by several simulators, as
   * one identity service), one made of its options, or none.
   */
  static of(
    option: TokenIssuerOptions | TokenIssuer | undefined,
    clock: () => number,
  ): TokenIssuer | undefined {
    if (option instanceof TokenIssuer) return option;
    return option ? new TokenIssuer(option, clock) : undefined;
  }

  /** Answers a token request: form body `grant_type=client_credentials`, HTTP Basic client credentials. */
  issue(authorization: string | undefined, body: Buffer): TokenReply {
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    if (!this.clientMatches(authorization)) return { status: 401, body: { error: 'invalid_client' } };
    if ((this.options.previous ?? 'revoked') === 'revoked') this.valid.clear();
    const token = randomBytes(24).toString('base64url');
    const expiresIn = this.options.expiresInSeconds ?? EXPIRES_IN_SECONDS;
    this.valid.set(token, this.clock() + expiresIn * 1000);
    this.counts.issued += 1;
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: expiresIn } };
  }

  /** Whether an API request's `authorization` header holds a token still valid; counts a refusal. */
  admits(authorization: string | undefined): boolean {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    const expires = token === undefined ? undefined : this.valid.get(token);
    if (expires !== undefined && this.clock() < expires) return true;
    this.counts.refused += 1;
    return false;
  }

  /** Retires every token issued so far, as an operator or a restart of the identity service would. */
  revokeAll(): void {
    this.valid.clear();
  }

  private clientMatches(authorization: string | undefined): boolean {
    const basic = /^Basic (\S+)$/.exec(authorization ?? '')?.[1];
    if (basic === undefined) return false;
    let given = Buffer.from(basic, 'base64');
    if (this.options.basicEncoding === 'form-urlencoded') {
      // Split at the first `:` (an encoded id holds none), then each part decoded.
      const text = given.toString('utf8');
      const colon = text.indexOf(':');
      if (colon < 0) return false;
      const id = formDecoded(text.slice(0, colon));
      const secret = formDecoded(text.slice(colon + 1));
      if (id === undefined || secret === undefined) return false;
      given = Buffer.from(`${id}:${secret}`);
    }
    const expected = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** A form-urlencoded value decoded (`+` a space, `%XX` a byte of UTF-8); undefined when it does not decode. */
function formDecoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
