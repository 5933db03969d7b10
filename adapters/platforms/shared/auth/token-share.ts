/**
 * Where the processes of one deployment (workers, a CLI run beside them) keep one OAuth2 token per
 * platform client. Each process fetching its own is fine where a platform lets several tokens live
 * at once, but many identity services keep one valid token per client: each fetch retires the
 * others' token, their next request is refused (401), they fetch again and retire this one — the
 * processes knock each other out and deliveries fail with TARGET_AUTH or crawl. Shared, the token
 * is fetched once (under a short lock), and a process refused with it fetches again only when the
 * shared token is still the refused one.
 *
 * The store is Redis (`RedisTokenShare`, over the queue's Redis): an entry per client, its TTL
 * the token's time until renewal, its value sealed with AES-256-GCM under a key derived from the
 * client secret (`sealToken`), so Redis and its dumps hold no usable token and only a process
 * configured with the secret reads it back.
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

/**
 * The Redis key of a client's token: the endpoint and client id hashed, so neither is spelt out
 * in Redis and two clients (or two platforms with one client id) never share an entry.
 */
export function tokenKey(prefix: string, client: TokenClient): string {
  const id = createHash('sha256').update(`${client.tokenUrl}\n${client.clientId}`).digest('hex').slice(0, 32);
  return `${prefix}:oauth2-token:${id}`;
}

export interface SharedToken {
  value: string;
  /** Unix ms, by the clock of the process that fetched it. */
  renewAt: number;
}

function sealKey(client: TokenClient): Buffer {
  return Buffer.from(
    hkdfSync('sha256', client.clientSecret, client.tokenUrl, `licbridge oauth2 token ${client.clientId}`, 32),
  );
}

/** The entry stored for a token: `v1.<iv>.<tag>.<ciphertext>` (base64url), AES-256-GCM. */
export function sealToken(client: TokenClient, token: SharedToken): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(client), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(token), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/**
 * The token in an entry, or undefined when it cannot be read: sealed under another secret (the
 * client secret changed), damaged, or of another form. Such an entry is treated as absent.
 */
export function openToken(client: TokenClient, entry: string): SharedToken | undefined {
  const [version, iv, tag, data, ...rest] = entry.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || data === undefined || rest.length > 0) {
    return undefined;
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(client), Buffer.from(iv, 'base64url'));
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
