/**
 * OAuth2 client_credentials (RFC 6749 §4.4) with a cached bearer token. Platforms of this family
 * issue tokens for about 7,200 s (STANDARDS.md §5); fetching one per request would hit their
 * token endpoint's rate limit, so the token is kept until `refreshSkewSeconds` before it
 * expires, and concurrent callers share one fetch.
 *
 * With a `tokenShare` (Redis, token-share.ts), the processes of a deployment share the token too:
 * where issuing a token retires the client's previous one, a process fetching its own would
 * knock out every other process's token (their next request refused, their fetch knocking out
 * this one). A process reads the shared token before fetching; one fetches under a short lock
 * while the others wait for what it stores; a process refused with a token fetches again only
 * while that token is still the shared one, and takes the newer one otherwise.
 */
import type { OAuth2AuthConfig } from '../../../../config/target-types.js';
import { LicbridgeError } from '../../../../core/errors.js';
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

interface Token {
  value: string;
  /** When it is renewed, unix ms: `refreshSkewSeconds` before it expires, or halfway through its life. */
  renewAt: number;
}

const bearer = (token: Token): string => `Bearer ${token.value}`;

/** The token request's timeout, ms. */
const TOKEN_TIMEOUT_MS = 10_000;

/** A token's lifetime when the answer gives none that can be read, s (STANDARDS.md §5). */
const ASSUMED_EXPIRES_IN = 7200;

/**
 * `expires_in` in seconds: a JSON number, or its digits as a string (`"600"`, as gateways that
 * serialise every field as text give it); anything else (absent, free text) is undefined. So is a
 * lifetime of 0 s or less, or past any number (`1e400`): taken as given, the first had every
 * request fetch a token of its own, each retiring the one before where issuing one does, and the
 * second kept one token for ever.
 */
function expiresInOf(value: unknown): number | undefined {
  const seconds =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)
        ? Number(value)
        : undefined;
  return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * A value as application/x-www-form-urlencoded writes it (WHATWG URL, as Java's URLEncoder): ASCII
 * letters, digits and `*-._` kept, a space as `+`, every other byte of its UTF-8 as `%XX`.
 */
function formEncoded(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/**
 * `clientId:clientSecret` for the HTTP Basic header. RFC 6749 §2.3.1 has each form-urlencoded
 * first, and services that follow it (Keycloak, Spring Authorization Server) decode them: sent raw,
 * a secret holding `+` reached them with a space, one holding `%` did not decode, and the client
 * was refused (`invalid_client`). Others compare the header's text as it stands, so `raw` is kept
 * for them (and as the default, what earlier versions sent: a client admitted so stays admitted).
 */
function basicCredentials(
  config: Pick<OAuth2AuthConfig, 'clientId' | 'clientSecret' | 'basicEncoding'>,
): string {
  return config.basicEncoding === 'form-urlencoded'
    ? `${formEncoded(config.clientId)}:${formEncoded(config.clientSecret)}`
    : `${config.clientId}:${config.clientSecret}`;
}

/**
 * A client refused (400 `invalid_client` in RFC 6749 §5.2, or 401) whose id or secret the two
 * `basicEncoding` forms write differently: the service may expect the other form, which the
 * message names, as it names no character of either.
 */
function withEncodingHint(
  e: LicbridgeError,
  status: number,
  config: Pick<OAuth2AuthConfig, 'clientId' | 'clientSecret' | 'basicEncoding'>,
): LicbridgeError {
  if (status !== 400 && status !== 401) return e;
  const raw = `${config.clientId}:${config.clientSecret}`;
  if (basicCredentials({ ...config, basicEncoding: 'form-urlencoded' }) === raw) return e;
  const other = config.basicEncoding === 'form-urlencoded' ? 'raw' : 'form-urlencoded';
  return new LicbridgeError(
    e.code,
    `${e.message}; the client id or secret holds characters that basicEncoding raw and form-urlencoded send differently: if they are right, the service may expect \`basicEncoding: ${other}\``,
    { retryable: e.retryable, context: e.context },
  );
}

export class OAuth2Auth implements AuthStrategy {
  private token: Token | undefined;
  private pending: Promise<Token> | undefined;
  private readonly clock: () => number;
  private readonly connection: AuthConnection | undefined;
  private readonly log: Logger;
  /** Whether the fallback lifetime was logged: once, not at every token. */
  private assumedLogged = false;
  private readonly shared: SharedCredential | undefined;
  /** The token last refused here: a shared entry still holding it is not taken. */
  private refused: string | undefined;

  constructor(
    private readonly config: Pick<
      OAuth2AuthConfig,
      'tokenUrl' | 'clientId' | 'clientSecret' | 'scope' | 'refreshSkewSeconds' | 'tls' | 'basicEncoding'
    >,
    options: AuthOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.connection = options.connection;
    this.log = options.logger ?? rootLogger();
    this.shared = options.tokenShare
      ? // Keyed by the scope as sent (none for ''): a token for one scope is refused for another's requests.
        new SharedCredential(
          options.tokenShare,
          { ...config, scope: config.scope || undefined },
          'oauth2-token',
          (what, err) =>
            this.log.warn(
              { target: this.connection?.target, err },
              `${credentialWhat(this.connection, 'auth oauth2')}: ${
                what === 'keys'
                  ? 'the key to share the token under cannot be derived from the client secret (scrypt)'
                  : 'the shared token store (Redis) cannot be reached'
              }; this process fetches and keeps a token of its own, which may retire the other processes' token where the platform keeps one per client`,
            ),
        )
      : undefined;
  }

  async headers(): Promise<Record<string, string>> {
    const token = await this.current();
    return { authorization: bearer(token) };
  }

  /**
   * Drops the cached token (after a 401) so the next request fetches a new one — only when it is
   * the token that was refused. One fetched since by a request refused at the same time is kept:
   * dropping it would fetch a third, and where issuing a token retires the previous one (WeChat-
   * style client_credentials) the other request's one retry would be refused again.
   */
  async refresh(refused?: Record<string, string>): Promise<boolean> {
    const current = this.token;
    if (refused?.authorization !== undefined && current && refused.authorization !== bearer(current)) {
      return true;
    }
    this.token = undefined;
    const value = refused?.authorization?.startsWith('Bearer ')
      ? refused.authorization.slice('Bearer '.length)
      : current?.value;
    if (this.shared && value !== undefined) {
      this.refused = value;
      // Dropped only while the shared entry is the refused token: one another process fetched since stays.
      await this.shared.dropIf(value);
    }
    return true;
  }

  private async current(): Promise<Token> {
    if (this.token && this.clock() < this.token.renewAt) return this.token;
    this.pending ??= this.obtain().finally(() => {
      this.pending = undefined;
    });
    this.token = await this.pending;
    return this.token;
  }

  /** A token: the shared one, or one fetched (under the shared lock when there is a share). */
  private async obtain(): Promise<Token> {
    if (!this.shared) return this.fetchToken();
    return this.shared.obtain(
      // Not one refused here, nor one due for renewal.
      (held) => held.value !== this.refused && this.clock() < held.renewAt,
      () => this.fetchToken(),
      (fetched) => fetched.renewAt - this.clock(),
      credentialRequestMs(TOKEN_TIMEOUT_MS),
    );
  }

  private async fetchToken(): Promise<Token> {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.config.scope) body.set('scope', this.config.scope);
    const basic = Buffer.from(basicCredentials(this.config)).toString('base64');
    const origin = new URL(this.config.tokenUrl).origin;
    const what = 'auth oauth2: token request';
    // A wait the endpoint asked every caller for holds every target's token requests to it (./endpoint-pause.ts).
    const pause = new EndpointPause(credentialWhat(this.connection, what), origin, this.connection?.target);
    pause.hold();
    const res = await sendCredentialRequest(
      this.connection,
      what,
      {
        method: 'POST',
        url: this.config.tokenUrl,
        data: body.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
        timeoutMs: TOKEN_TIMEOUT_MS,
      },
      this.config.tls,
    );
    let doc: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(res.text);
      if (typeof parsed === 'object' && parsed !== null) doc = parsed as Record<string, unknown>;
    } catch {
      // Not JSON: no token in it (answeredWithoutCredentials says why).
    }
    const value = doc.access_token;
    if (res.status !== 200 || typeof value !== 'string') {
      const error = withEncodingHint(
        answeredWithoutCredentials(
          credentialWhat(this.connection, what),
          origin,
          res,
          this.clock(),
          this.connection?.target,
          { url: this.config.tokenUrl, setting: 'the tokenUrl' },
        ),
        res.status,
        this.config,
      );
      pause.note(error);
      throw error;
    }
    let expiresIn = expiresInOf(doc.expires_in);
    if (expiresIn === undefined) {
      expiresIn = ASSUMED_EXPIRES_IN;
      if (!this.assumedLogged) {
        this.assumedLogged = true;
        // What the field was, never its value: the answer is the identity service's, not ours to echo.
        this.log.warn(
          {
            target: this.connection?.target,
            origin,
            expiresIn: doc.expires_in === undefined ? 'absent' : typeof doc.expires_in,
            assumedSeconds: ASSUMED_EXPIRES_IN,
          },
          `${credentialWhat(this.connection, 'auth oauth2')}: the token answer gives no readable expires_in above 0 s; tokens are taken to last ${ASSUMED_EXPIRES_IN} s`,
        );
      }
    }
    // A token that lives no longer than the skew (60 s tokens, the default skew 60 s) was due for
    // renewal as it came, and every request fetched one, retiring the one before it on platforms
    // where issuing a token does: it is kept for the first half of its life.
    const lifeMs = expiresIn * 1000;
    const skewMs = Math.min(this.config.refreshSkewSeconds * 1000, lifeMs / 2);
    return { value, renewAt: this.clock() + lifeMs - skewMs };
  }

  toJSON(): Record<string, string> {
    return { scheme: 'oauth2', clientId: this.config.clientId };
  }
}
