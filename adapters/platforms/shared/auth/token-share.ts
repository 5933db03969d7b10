/**
 * Where the processes of one deployment (workers, a reminder tick, a CLI run beside them) keep one
 * OAuth2 token per platform client, and one refreshed app secret per app key (`appkey-md5` with a
 * `refreshUrl`: a refresh may retire the secret before it, as a token request may). Each process
 * fetching its own is fine where a platform lets several tokens live at once, but many identity
 * services keep one valid token per client: each fetch retires the others' token, their next
 * request is refused (401), they fetch again and retire this one — the processes knock each other
 * out and deliveries fail with TARGET_AUTH or crawl. Shared, the token is fetched once (under a
 * short lock), and a process refused with it fetches again only when the shared token is still
 * the refused one.
 *
 * The store is Redis (`RedisTokenShare`, over the queue's Redis): an entry per client and scope,
 * its TTL the token's time until renewal, its value sealed with AES-256-GCM under a key derived
 * from the client secret with scrypt (`credentialKeys`), so Redis and its dumps hold no usable
 * token, only a process configured with the secret reads it back, and a weak secret is slow to
 * guess against an entry; its name is an HMAC under a key derived alike. `SharedCredential` is
 * the sharing itself (read, fetch under the lock, compare on refusal), used by oauth2-auth.ts and
 * appkey-md5-auth.ts alike.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scrypt } from 'node:crypto';

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

/** Who a token belongs to: its endpoint, client, secret and scope. */
export interface TokenClient {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /**
   * The scope sent in the token request, as sent; none (undefined or '') when none is sent. A
   * token issued for one scope is refused for another's requests, so each scope has its entry.
   */
  scope?: string | undefined;
}

/** What is shared: an OAuth2 token, or an app secret fetched from `refreshUrl`. */
export type CredentialKind = 'oauth2-token' | 'appkey-secret';

export interface SharedToken {
  value: string;
  /** Unix ms, by the clock of the process that fetched it. */
  renewAt: number;
}

/**
 * scrypt's cost (RFC 7914 §2): N = 2^15, r = 8, p = 1, 32 MiB. About 0.1 s, paid once per
 * credential by each process (`derived`), and as much by anyone with a Redis dump for every guess
 * of a weak client secret tested against an entry's GCM tag. `maxmem` above the 32 MiB it needs:
 * Node's default is exactly that and refuses these parameters.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/** The two keys of one credential: its entry's sealing key, and the key its Redis name is an HMAC under. */
interface CredentialKeys {
  seal: Buffer;
  name: Buffer;
}

/**
 * What names a credential, one unambiguous string: its kind (a token's entry never opens as a
 * secret's), endpoint, client and scope (none and '' alike: neither is sent).
 */
function identity(client: TokenClient, kind: CredentialKind): string {
  return JSON.stringify([kind, client.tokenUrl, client.clientId, client.scope || null]);
}

/** Each credential's keys, derived once per process: scrypt is slow on purpose. */
const derived = new Map<string, Promise<CredentialKeys>>();

/**
 * The keys of `client`'s credential: scrypt over the client secret, salted with the credential's
 * identity (fixed per credential, so every process derives the same keys; distinct per endpoint,
 * client and scope, so no guess is tested against two credentials at once). Its 64 bytes are the
 * sealing key and the naming key.
 */
function credentialKeys(client: TokenClient, kind: CredentialKind): Promise<CredentialKeys> {
  const id = identity(client, kind);
  // The map is keyed by a hash: the secret itself is not copied into another string.
  const cacheKey = createHash('sha256').update(id).update('\0').update(client.clientSecret).digest('base64');
  let keys = derived.get(cacheKey);
  if (!keys) {
    const salt = createHash('sha256').update(`licbridge credential share v2\n${id}`).digest();
    keys = new Promise<CredentialKeys>((resolve, reject) => {
      scrypt(client.clientSecret, salt, 64, SCRYPT, (err, out) => {
        if (err) reject(err);
        else resolve({ seal: out.subarray(0, 32), name: out.subarray(32, 64) });
      });
    });
    // A failed derivation is tried again next time, not kept.
    keys.catch(() => derived.delete(cacheKey));
    derived.set(cacheKey, keys);
  }
  return keys;
}

/**
 * The Redis key of a credential: an HMAC of its identity under the naming key, so neither the
 * endpoint nor the client id is spelt out in Redis, and knowing the endpoint does not let one
 * confirm a guessed client id without the secret (a plain hash would). Two clients, two scopes of
 * one client, or a token and an app secret never share an entry.
 */
export async function tokenKey(
  prefix: string,
  client: TokenClient,
  kind: CredentialKind = 'oauth2-token',
): Promise<string> {
  return keyOf(prefix, await credentialKeys(client, kind), client, kind);
}

function keyOf(prefix: string, keys: CredentialKeys, client: TokenClient, kind: CredentialKind): string {
  const id = createHmac('sha256', keys.name).update(identity(client, kind)).digest('hex').slice(0, 32);
  return `${prefix}:${kind}:${id}`;
}

/** Entries of this form; `v1` (HKDF over the secret) is no longer read and expires with its token. */
const SEAL_VERSION = 'v2';
/** GCM's full tag, bytes: a shorter one is refused, not checked on fewer bits. */
const TAG_BYTES = 16;

/** The entry stored for a credential: `v2.<iv>.<tag>.<ciphertext>` (base64url), AES-256-GCM. */
export async function sealToken(
  client: TokenClient,
  token: SharedToken,
  kind: CredentialKind = 'oauth2-token',
): Promise<string> {
  return sealWith(await credentialKeys(client, kind), token);
}

function sealWith(keys: CredentialKeys, token: SharedToken): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.seal, iv, { authTagLength: TAG_BYTES });
  const data = Buffer.concat([cipher.update(JSON.stringify(token), 'utf8'), cipher.final()]);
  return [SEAL_VERSION, ...[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'))].join('.');
}

/**
 * The credential in an entry, or undefined when it cannot be read: sealed under another secret
 * (the client secret changed) or the old way (`v1`), damaged, its tag cut short, or of another
 * form. Such an entry is treated as absent: the credential is fetched anew and written over it.
 */
export async function openToken(
  client: TokenClient,
  entry: string,
  kind: CredentialKind = 'oauth2-token',
): Promise<SharedToken | undefined> {
  return openWith(await credentialKeys(client, kind), entry);
}

function openWith(keys: CredentialKeys, entry: string): SharedToken | undefined {
  const [version, iv, tag, data, ...rest] = entry.split('.');
  if (
    version !== SEAL_VERSION ||
    iv === undefined ||
    tag === undefined ||
    data === undefined ||
    rest.length > 0
  ) {
    return undefined;
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.seal, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
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
 * How long the shared lock outlasts the longest fetch, ms: the sealed credential's write after it
 * (a Redis command bounded at 2 s, tried twice: pipelines/credential-share.ts) and a busy event
 * loop. A process that died holding the lock blocks the others no longer than the fetch and this.
 */
const SHARE_LOCK_MARGIN_MS = 5_000;
/** How often a process waiting for another's fetch looks for the credential it stores, ms. */
const SHARE_POLL_MS = 50;

/**
 * What kept a credential from being shared: the share itself (`store`: Redis out of reach), or the
 * keys its entry is sealed and named under (`keys`: scrypt over the client secret failed).
 */
export type ShareFailure = 'store' | 'keys';

/**
 * One credential of one client shared through a `TokenShare`: read before fetching, fetched by one
 * process under a short lock while the others wait for what it stores, dropped after a refusal
 * only while it is still the refused one. The share's own failures (Redis out of reach) and a
 * failed derivation of its keys cost only the sharing: the process then fetches and keeps its own,
 * and `unshared` is told once for each of the two, saying which it was.
 */
export class SharedCredential {
  /** The credential's keys and Redis key, derived at first use (scrypt: once per process and credential). */
  private keyed: Promise<{ keys: CredentialKeys; key: string }> | undefined;
  private readonly told = new Set<ShareFailure>();

  constructor(
    private readonly share: TokenShare,
    private readonly client: TokenClient,
    private readonly kind: CredentialKind,
    /**
     * Called once for each kind of failure, with its error text (never a credential): the caller
     * warns. A derivation that failed was told as the store out of reach, and an operator looked
     * at a Redis that was up.
     */
    private readonly unshared: (what: ShareFailure, error: string) => void,
  ) {}

  /** The shared credential when `usable` takes it; undefined when there is none or the share is out of reach. */
  async read(usable: (held: SharedToken) => boolean): Promise<SharedToken | undefined> {
    return this.sharing(undefined, () => this.readUsable(usable));
  }

  /**
   * The shared credential `usable` takes, or one `fetch`ed under the lock and stored for `ttlMs`
   * of it. `fetchMs` is the longest the fetch takes (credential-request.ts credentialRequestMs):
   * the lock is held that long and SHARE_LOCK_MARGIN_MS more, so it never runs out under a fetch
   * still under way, whose credential would then retire the one another process fetched beside
   * it. A fetch's own failure is thrown as it is. With the share out of reach, or a lock held past
   * twice its time (the holder hung), this process fetches alone.
   */
  async obtain(
    usable: (held: SharedToken) => boolean,
    fetch: () => Promise<SharedToken>,
    ttlMs: (fetched: SharedToken) => number,
    fetchMs: number,
  ): Promise<SharedToken> {
    const lockMs = fetchMs + SHARE_LOCK_MARGIN_MS;
    // Real time: how long this process waits for another's fetch.
    const waitUntil = Date.now() + 2 * lockMs;
    for (;;) {
      const found = await this.sharing(null, async () => {
        const held = await this.readUsable(usable);
        if (held) return held;
        const { keys, key } = await this.keyedOnce();
        const release = await this.share.lock(`${key}:lock`, lockMs);
        if (!release) return undefined;
        try {
          // Stored by the process that held the lock just before.
          const again = await this.readUsable(usable);
          if (again) return again;
          const fetched = await fetch().catch((e: unknown) => {
            throw new FetchFailure(e);
          });
          await this.sharing(undefined, () => this.share.put(key, sealWith(keys, fetched), ttlMs(fetched)));
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
      const { keys, key } = await this.keyedOnce();
      const entry = await this.share.get(key);
      if (entry !== undefined && openWith(keys, entry)?.value === value) await this.share.dropIf(key, entry);
    });
  }

  private keyedOnce(): Promise<{ keys: CredentialKeys; key: string }> {
    if (!this.keyed) {
      const keyed = credentialKeys(this.client, this.kind).then(
        (keys) => ({ keys, key: keyOf(this.share.prefix, keys, this.client, this.kind) }),
        (e: unknown) => {
          throw new KeyFailure(e);
        },
      );
      // Derived again next time after a failure.
      keyed.catch(() => {
        if (this.keyed === keyed) this.keyed = undefined;
      });
      this.keyed = keyed;
    }
    return this.keyed;
  }

  /** The shared credential `usable` takes; an entry that cannot be opened is as none. */
  private async readUsable(usable: (held: SharedToken) => boolean): Promise<SharedToken | undefined> {
    const { keys, key } = await this.keyedOnce();
    const entry = await this.share.get(key);
    const held = entry === undefined ? undefined : openWith(keys, entry);
    return held && usable(held) ? held : undefined;
  }

  /** `work` on the share, or `fallback` when the share fails; a fetch's failure is thrown as it was. */
  private async sharing<T, U>(fallback: U, work: () => Promise<T>): Promise<T | U> {
    try {
      return await work();
    } catch (e) {
      if (e instanceof FetchFailure) throw e.failure;
      const what: ShareFailure = e instanceof KeyFailure ? 'keys' : 'store';
      if (!this.told.has(what)) {
        this.told.add(what);
        this.unshared(what, what === 'keys' ? keyFailureText((e as KeyFailure).failure) : errorText(e));
      }
      return fallback;
    }
  }
}

/** An error's message. */
function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A derivation's failure: Node's code (`ERR_CRYPTO_INVALID_SCRYPT_PARAMS`) and message. */
function keyFailureText(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? `${code}: ${errorText(e)}` : errorText(e);
}

/** The keys' derivation failed (scrypt): carried through `sharing`, told apart from the store's failures. */
class KeyFailure extends Error {
  constructor(readonly failure: unknown) {
    super('credential keys not derived');
  }
}

/** A credential request's own failure, carried through `sharing` and thrown there as it was. */
class FetchFailure extends Error {
  constructor(readonly failure: unknown) {
    super('credential request failed');
  }
}
