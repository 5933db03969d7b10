/**
 * Where the processes of one deployment (workers, a reminder tick, a CLI run beside them) keep one
 * OAuth2 token per platform client, and one refreshed app secret per app key (`appkey-md5` with a
 * `refreshUrl`: a refresh may retire the secret before it, as a token request may). Each process fetching its own is fine where a platform lets several tokens live
 * at once, but many identity services keep one valid token per client: each fetch retires the
 * others' token, their next request is refused (401), they fetch again and retire this one — the
 * processes knock each other out and deliveries fail with TARGET_AUTH or crawl. Shared, the token
 * is fetched once (under a short lock), and a process refused with it fetches again only when the
 * shared token is still the refused one.
 *
 * The store is Redis (`RedisTokenShare`, over the queue's Redis): an entry per client, its TTL
 * the token's time until renewal, its value sealed with AES-256-GCM under a key derived from the
 * client secret (`sealToken`), so Redis and its dumps hold no usable token and only a process
 * configured with the secret reads it back. `SharedCredential` is the sharing itself (read, fetch
 * under the lock, compare on refusal), used by oauth2-auth.ts and appkey-md5-auth.ts alike.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** The few Redis operations the share needs; an ioredis `Redis` or `Cluster` has them as `call`. */
export interface TokenShareRedis {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** One store of sealed tokens, by key; every operation may throw when the store is unreachable. */
export interface TokenShare {
  /** The entry under `key`, or undefined. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs`. */
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** Deletes `key` only while it still holds `value` (a newer token written since stays). */
  dropIf(key: string, value: string): Promise<void>;
  /** Takes `key` as a lock for `ttlMs`: its release, or undefined while another holds it. */
  lock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  /** Prefix of every key (the queue's `queue.prefix`, a hash tag on a cluster). */
  readonly prefix: string;
}

// Compare-and-delete in one step: a GET then a DEL would delete a token another process wrote between them.
const DELETE_IF_EQUAL =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

export class RedisTokenShare implements TokenShare {
  constructor(
    private readonly redis: TokenShareRedis,
    readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const v = await this.redis.call('GET', key);
    return typeof v === 'string' ? v : v instanceof Buffer ? v.toString('utf8') : undefined;
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.call('SET', key, value, 'PX', Math.max(1, Math.floor(ttlMs)));
  }

  async dropIf(key: string, value: string): Promise<void> {
    await this.redis.call('EVAL', DELETE_IF_EQUAL, 1, key, value);
  }

  async lock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    const owner = randomBytes(16).toString('hex');
    const taken = await this.redis.call('SET', key, owner, 'PX', Math.max(1, Math.floor(ttlMs)), 'NX');
    if (taken !== 'OK') return undefined;
    // Released only while still ours: a lock that outlived its TTL may be another process's now.
    return () => this.dropIf(key, owner);
  }
}

/** Who a token belongs to: its endpoint, client and secret. */
export interface TokenClient {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/** What is shared: an OAuth2 token, or an app secret fetched from `refreshUrl`. */
export type CredentialKind = 'oauth2-token' | 'appkey-secret';

/**
 * The Redis key of a client's token: the endpoint and client id hashed, so neither is spelt out
 * in Redis and two clients (or two platforms with one client id) never share an entry. An app
 * secret is keyed by its `refreshUrl` and app key the same way, under `appkey-secret`.
 */
export function tokenKey(prefix: string, client: TokenClient, kind: CredentialKind = 'oauth2-token'): string {
  const id = createHash('sha256').update(`${client.tokenUrl}\n${client.clientId}`).digest('hex').slice(0, 32);
  return `${prefix}:${kind}:${id}`;
}

export interface SharedToken {
  value: string;
  /** Unix ms, by the clock of the process that fetched it. */
  renewAt: number;
}

/** The HKDF info of each kind: a token's entry never opens as a secret's, nor the reverse. */
const SEAL_INFO: Record<CredentialKind, string> = {
  'oauth2-token': 'licbridge oauth2 token',
  'appkey-secret': 'licbridge appkey secret',
};

function sealKey(client: TokenClient, kind: CredentialKind): Buffer {
  return Buffer.from(
    hkdfSync('sha256', client.clientSecret, client.tokenUrl, `${SEAL_INFO[kind]} ${client.clientId}`, 32),
  );
}

/** The entry stored for a token: `v1.<iv>.<tag>.<ciphertext>` (base64url), AES-256-GCM. */
export function sealToken(
  client: TokenClient,
  token: SharedToken,
  kind: CredentialKind = 'oauth2-token',
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(client, kind), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(token), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/**
 * The token in an entry, or undefined when it cannot be read: sealed under another secret (the
 * client secret changed), damaged, or of another form. Such an entry is treated as absent.
 */
export function openToken(
  client: TokenClient,
  entry: string,
  kind: CredentialKind = 'oauth2-token',
): SharedToken | undefined {
  const [version, iv, tag, data, ...rest] = entry.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || data === undefined || rest.length > 0) {
    return undefined;
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(client, kind), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
    const parsed = JSON.parse(text) as Partial<SharedToken>;
    return typeof parsed.value === 'string' && typeof parsed.renewAt === 'number'
      ? { value: parsed.value, renewAt: parsed.renewAt }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How long the shared lock is held at most, ms: a credential request's own timeout (10 s) and
 * some. A process that died holding it blocks the others no longer than this.
 */
const SHARE_LOCK_MS = 15_000;
/** How often a process waiting for another's fetch looks for the credential it stores, ms. */
const SHARE_POLL_MS = 50;

/**
 * One credential of one client shared through a `TokenShare`: read before fetching, fetched by one
 * process under a short lock while the others wait for what it stores, dropped after a refusal
 * only while it is still the refused one. The share's own failures (Redis out of reach) cost only
 * the sharing: the process then fetches and keeps its own, and `unreachable` is told once.
 */
export class SharedCredential {
  private readonly key: string;
  private unreachableTold = false;

  constructor(
    private readonly share: TokenShare,
    private readonly client: TokenClient,
    private readonly kind: CredentialKind,
    /** Called once, with the share's error text (never a credential): the caller warns. */
    private readonly unreachable: (error: string) => void,
  ) {
    this.key = tokenKey(share.prefix, client, kind);
  }

  /** The shared credential when `usable` takes it; undefined when there is none or the share is out of reach. */
  async read(usable: (held: SharedToken) => boolean): Promise<SharedToken | undefined> {
    return this.sharing(undefined, () => this.readUsable(usable));
  }

  /**
   * The shared credential `usable` takes, or one `fetch`ed under the lock and stored for `ttlMs`
   * of it. A fetch's own failure is thrown as it is. With the share out of reach, or a lock held
   * past twice its time (the holder hung), this process fetches alone.
   */
  async obtain(
    usable: (held: SharedToken) => boolean,
    fetch: () => Promise<SharedToken>,
    ttlMs: (fetched: SharedToken) => number,
  ): Promise<SharedToken> {
    // Real time: how long this process waits for another's fetch.
    const waitUntil = Date.now() + 2 * SHARE_LOCK_MS;
    for (;;) {
      const found = await this.sharing(null, async () => {
        const held = await this.readUsable(usable);
        if (held) return held;
        const release = await this.share.lock(`${this.key}:lock`, SHARE_LOCK_MS);
        if (!release) return undefined;
        try {
          // Stored by the process that held the lock just before.
          const again = await this.readUsable(usable);
          if (again) return again;
          const fetched = await fetch().catch((e: unknown) => {
            throw new FetchFailure(e);
          });
          await this.sharing(undefined, () =>
            this.share.put(this.key, sealToken(this.client, fetched, this.kind), ttlMs(fetched)),
          );
          return fetched;
        } finally {
          await release().catch(() => undefined);
        }
      });
      if (found === null) return fetch();
      if (found) return found;
      if (Date.now() >= waitUntil) return fetch();
      await new Promise((r) => setTimeout(r, SHARE_POLL_MS));
    }
  }

  /** Drops the shared entry while it still holds `value`: one another process stored since stays. */
  async dropIf(value: string): Promise<void> {
    await this.sharing(undefined, async () => {
      const entry = await this.share.get(this.key);
      if (entry !== undefined && openToken(this.client, entry, this.kind)?.value === value)
        await this.share.dropIf(this.key, entry);
    });
  }

  private async readUsable(usable: (held: SharedToken) => boolean): Promise<SharedToken | undefined> {
    const entry = await this.share.get(this.key);
    const held = entry === undefined ? undefined : openToken(this.client, entry, this.kind);
    return held && usable(held) ? held : undefined;
  }

  /** `work` on the share, or `fallback` when the share fails; a fetch's failure is thrown as it was. */
  private async sharing<T, U>(fallback: U, work: () => Promise<T>): Promise<T | U> {
    try {
      return await work();
    } catch (e) {
      if (e instanceof FetchFailure) throw e.failure;
      if (!this.unreachableTold) {
        this.unreachableTold = true;
        this.unreachable(e instanceof Error ? e.message : String(e));
      }
      return fallback;
    }
  }
}

/** A credential request's own failure, carried through `sharing` and thrown there as it was. */
class FetchFailure extends Error {
  constructor(readonly failure: unknown) {
    super('credential request failed');
  }
}
