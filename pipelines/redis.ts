import type { RedisOptions as BullmqRedisOptions } from 'bullmq';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { QueueConfig, RedisServersConfig } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { type Logger, rootLogger } from '../core/logger.js';
import { namedTlsSettingError, nodeTlsOptions, type TlsSettings, tlsFailureKind } from '../core/tls.js';
import { explainTlsFailure } from '../core/tls-probe.js';
import { installClusterFactory } from './redis-cluster-factory.js';
import { SwitchFollowingSentinelConnector } from './redis-sentinel.js';

/**
 * The one place licbridge builds Redis connections, from `queue.redis`: one Redis (a URL), Redis
 * behind Sentinel, or a Redis Cluster. BullMQ gets options (`queueConnection`) and every Queue and
 * Worker opens and closes its own connections; direct clients (reachability, health checks) come
 * from `createRedisClient`. Only job references travel on these connections, never license data.
 */

/** `queue.redis` as configured: a URL or a Sentinel/Cluster mapping. */
export type QueueRedis = QueueConfig['redis'];

interface Address {
  host: string;
  port: number;
}

/**
 * Options for BullMQ's `connection`. BullMQ builds a plain ioredis client from options, so a
 * cluster's nodes ride along in `clusterNodes` and the client factory installed below turns such
 * options into an ioredis `Cluster`.
 */
export type RedisConnectionOptions = BullmqRedisOptions & { readonly clusterNodes?: readonly Address[] };

/** Knobs of a direct client, applied to every node of a cluster. */
interface ClientKnobs {
  connectTimeout?: number;
  commandTimeout?: number;
  maxRetriesPerRequest?: number | null;
  retryStrategy?: (times: number) => number | null;
  lazyConnect?: boolean;
  enableOfflineQueue?: boolean;
}

/** The connection every BullMQ Queue, Worker and QueueEvents of this deployment uses. */
export function queueConnection(redis: QueueRedis): RedisConnectionOptions {
  return namingRefusals(redis, () => queueConnectionOf(redis));
}

/** ioredis types a connector as its abstract base, whose members this one reaches past. */
const SENTINEL_CONNECTOR = SwitchFollowingSentinelConnector as unknown as RedisOptions['Connector'];

function queueConnectionOf(redis: QueueRedis): RedisConnectionOptions {
  if (typeof redis === 'string') return redisOptionsFromUrl(redis);
  if (redis.url) return redisOptionsFromUrl(redis.url, tlsSettings(redis));
  // BullMQ's workers block on Redis; they require this to be null.
  if (redis.cluster) {
    installClusterFactory();
    return { ...nodeAuth(redis), clusterNodes: redis.cluster.map(parseAddress), maxRetriesPerRequest: null };
  }
  // Every queue connection leaves the old master when the sentinels announce a new one.
  return { ...sentinelOptions(redis), Connector: SENTINEL_CONNECTOR, maxRetriesPerRequest: null };
}

/** A client of its own (not BullMQ's): a `Cluster` on a cluster, a `Redis` otherwise. */
export function createRedisClient(redis: QueueRedis, knobs: ClientKnobs): Redis | Cluster {
  return namingRefusals(redis, () => createClient(redis, knobs));
}

/** `build`, with a `tls:` setting its options refuse (an empty `tls.ca`) named as this queue's. */
function namingRefusals<T>(redis: QueueRedis, build: () => T): T {
  try {
    return build();
  } catch (e) {
    throw namedTlsSettingError(e, `queue: Redis at ${redisEndpoints(redis)}`);
  }
}

function createClient(redis: QueueRedis, knobs: ClientKnobs): Redis | Cluster {
  if (typeof redis === 'string') return new Redis({ ...redisOptionsFromUrl(redis), ...knobs });
  if (redis.url) return new Redis({ ...redisOptionsFromUrl(redis.url, tlsSettings(redis)), ...knobs });
  if (redis.cluster) {
    const { retryStrategy, lazyConnect, enableOfflineQueue, ...perNode } = knobs;
    return new Cluster(redis.cluster.map(parseAddress), {
      redisOptions: { ...nodeAuth(redis), ...perNode },
      ...(retryStrategy === undefined ? {} : { clusterRetryStrategy: retryStrategy }),
      ...(lazyConnect === undefined ? {} : { lazyConnect }),
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    });
  }
  return new Redis({
    ...sentinelOptions(redis),
    ...knobs,
    ...(knobs.retryStrategy === undefined ? {} : { sentinelRetryStrategy: knobs.retryStrategy }),
  });
}

/** Where Redis is, for messages: scheme, host and port only, never a user name or password. */
export function redisEndpoints(redis: QueueRedis): string {
  if (typeof redis === 'string' || redis.url) {
    try {
      const u = new URL(typeof redis === 'string' ? redis : (redis.url ?? ''));
      return `${u.protocol}//${u.hostname || '127.0.0.1'}:${u.port || '6379'}`;
    } catch {
      return '<unparseable URL>';
    }
  }
  if (redis.cluster) return `cluster ${redis.cluster.join(', ')}`;
  return `master \`${redis.name ?? ''}\` via sentinels ${(redis.sentinels ?? []).join(', ')}`;
}

/**
 * Parses `redis://[user:password@]host:port[/db]` (or `rediss://`) into ioredis options. Its
 * messages never quote the URL: it may carry a password.
 */
function redisOptionsFromUrl(url: string, tls?: TlsSettings): RedisConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new LicbridgeError(ErrorCodes.CONFIG_INVALID, 'queue: `queue.redis` is not a valid Redis URL', {
      cause,
    });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `queue: expected a redis:// or rediss:// URL in \`queue.redis\`, got a \`${parsed.protocol}\` URL`,
    );
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    db: Number.isInteger(db) ? db : 0,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    // rediss://: verified TLS, with the mapping's `tls` settings when given.
    ...(parsed.protocol === 'rediss:' ? { tls: nodeTlsOptions(tls) } : {}),
    // BullMQ's workers block on Redis; they require this to be null.
    maxRetriesPerRequest: null,
  };
}

/**
 * Checks that Redis answers within `timeoutMs`, so a run fails fast with a useful message
 * instead of BullMQ reconnecting forever. The message names host:port only. A Redis that may
 * evict keys is logged as a warning on `logger` (see `warnIfEvicting`).
 */
export async function assertRedisReachable(
  redis: QueueRedis,
  timeoutMs: number,
  logger: Logger = rootLogger(),
): Promise<void> {
  const client = createRedisClient(redis, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // Reported through the rejected promise below; a TLS failure reaches only this event (the
  // promise just says the connection closed), so the last one is kept to name it.
  let lastError: unknown;
  client.on('error', (e) => {
    lastError = e;
  });
  const timer = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref();
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), timer]);
    // Judged only within the time left: it never turns a Redis that answered into an unreachable one.
    await Promise.race([warnIfEvicting(client, redis, logger), timer.catch(() => undefined)]);
  } catch (cause) {
    const tlsCause = tlsFailureKind(cause) ? cause : tlsFailureKind(lastError) ? lastError : undefined;
    if (tlsCause) {
      const explained = await explainTlsFailure(
        tlsCause,
        { connection: `queue: Redis at ${redisEndpoints(redis)}`, code: ErrorCodes.QUEUE_UNREACHABLE },
        firstTlsEndpoint(redis),
      );
      if (explained) throw explained;
    }
    // A refused AUTH ends the connection: the promise says only "Connection is closed.".
    const refused = credentialsRefusal(cause) ?? credentialsRefusal(lastError);
    if (refused) {
      throw new LicbridgeError(
        ErrorCodes.QUEUE_UNREACHABLE,
        `queue: Redis at ${maskedRedisUrl(redis)} refused the credentials: ${refused.what} (${refused.reply}); check the user name and password of \`queue.redis\`${
          // The advice in words, not as a URL with a word in the password's place: every rule
          // hiding a URL's password in a message would hide that word too (`redis://:***@host`).
          loneUserinfo(redis)
            ? ' (its URL names a user and no password: a password alone is written after an empty user, `redis://:` then the password, then `@host`)'
            : ''
        }`,
        // Retrying the same password cannot help.
        { retryable: false, cause: refused.error },
      );
    }
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new LicbridgeError(
      ErrorCodes.QUEUE_UNREACHABLE,
      `queue: Redis is not reachable at ${redisEndpoints(redis)}: ${withoutCredentials(detail).replace(/\.+$/, '')}. ` +
        'Start it (for example `redis-server --daemonize yes --port 6379`) or point `queue.redis` ' +
        'in the config (or LICBRIDGE_REDIS_URL for the demo) at a running Redis.',
      { retryable: true, cause },
    );
  } finally {
    client.disconnect();
  }
}

/**
 * Logs a warning when Redis may evict keys (`maxmemory-policy` other than `noeviction`): an
 * evicted job or scheduler key loses it without a trace. BullMQ checks too, but with a bare
 * `console.warn` per connection, outside the log. Read from INFO, as BullMQ reads it, since a
 * managed Redis often refuses CONFIG GET; a Redis that refuses INFO too is not judged. On a
 * cluster each master keeps its own policy, and a command without a key (INFO) reaches any one of
 * them: every master is asked, and those that may evict are named.
 */
async function warnIfEvicting(client: Redis | Cluster, redis: QueueRedis, logger: Logger): Promise<void> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  const policies = await Promise.all(nodes.map((node) => evictionPolicy(node)));
  const evicting = nodes.flatMap((node, i) => {
    const policy = policies[i];
    return policy === undefined || policy === 'noeviction'
      ? []
      : [{ node: `${node.options.host ?? '127.0.0.1'}:${node.options.port ?? 6379}`, policy }];
  });
  const first = evicting[0];
  if (first === undefined) return;
  const policy =
    client instanceof Cluster
      ? evicting.map((e) => `\`${e.policy}\` on ${e.node}`).join(', ')
      : `\`${first.policy}\``;
  logger.warn(
    {
      redis: redisEndpoints(redis),
      maxmemoryPolicy: first.policy,
      ...(client instanceof Cluster ? { evictingNodes: evicting.map((e) => e.node) } : {}),
    },
    `queue: Redis at ${redisEndpoints(redis)} may evict keys (\`maxmemory-policy\` is ${policy}): an evicted job or schedule is lost without a trace; set \`maxmemory-policy noeviction\` on it (docs/operations.md, "Redis in production")`,
  );
}

/** A Redis node's `maxmemory-policy` as INFO tells it; undefined when it does not. */
async function evictionPolicy(node: Redis): Promise<string | undefined> {
  const info = await node.info('memory').catch(() => '');
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
}

/**
 * Redis's answer to credentials it refuses: `WRONGPASS` (a wrong user name or password, Redis 6
 * and later), `NOAUTH` (a password is required and none was sent), or the `invalid password` of
 * Redis before 6. The reply's first word is kept; it names no credential.
 */
function credentialsRefusal(error: unknown): { what: string; reply: string; error: unknown } | undefined {
  const message = error instanceof Error ? error.message : '';
  if (/^WRONGPASS\b/.test(message) || /^ERR invalid password/i.test(message))
    return { what: 'wrong user name or password', reply: message.split(' ')[0] ?? '', error };
  if (/^NOAUTH\b/.test(message))
    return { what: 'it requires a password and none was given', reply: 'NOAUTH', error };
  return undefined;
}

/**
 * Whether `queue.redis` is a URL with a user part and no password (`redis://s3cret@host`). ioredis
 * (5.x: `parseURL` in its utils) and `redisOptionsFromUrl` read it as an ACL user name with no
 * password, where some clients, and ioredis 4, read it as the password: an operator may well have
 * written the password there.
 */
function loneUserinfo(redis: QueueRedis): boolean {
  const url = typeof redis === 'string' ? redis : redis.url;
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.username !== '' && u.password === '';
  } catch {
    return false;
  }
}

/**
 * The Redis URL for a message, its password masked (`redis://lb:***@redis01:6379/0`), and a user
 * part without a password masked whole (`redis://***@redis01:6379`: see `loneUserinfo`); a
 * Sentinel or Cluster mapping is named by its endpoints.
 */
export function maskedRedisUrl(redis: QueueRedis): string {
  const url = typeof redis === 'string' ? redis : redis.url;
  if (!url) return redisEndpoints(redis);
  try {
    const u = new URL(url);
    const auth = u.password ? `${u.username}:***@` : u.username ? '***@' : '';
    const db = u.pathname.length > 1 ? u.pathname : '';
    return `${u.protocol}//${auth}${u.hostname || '127.0.0.1'}:${u.port || '6379'}${db}`;
  } catch {
    return '<unparseable URL>';
  }
}

/** A driver message may quote a URL; its user and password are dropped. */
function withoutCredentials(text: string): string {
  return text.replace(/\/\/[^/@\s]+@/g, '//');
}

function parseAddress(hostPort: string): Address {
  const at = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(hostPort.slice(at + 1)) };
}

function nodeAuth(redis: RedisServersConfig): BullmqRedisOptions {
  return {
    ...(redis.username ? { username: redis.username } : {}),
    ...(redis.password ? { password: redis.password } : {}),
    ...(redis.tls ? { tls: nodeTlsOptions(tlsSettings(redis)) } : {}),
  };
}

function sentinelOptions(redis: RedisServersConfig): BullmqRedisOptions {
  return {
    ...nodeAuth(redis),
    sentinels: (redis.sentinels ?? []).map(parseAddress),
    name: redis.name ?? '',
    db: redis.db ?? 0,
    ...(redis.sentinelUsername ? { sentinelUsername: redis.sentinelUsername } : {}),
    ...(redis.sentinelPassword ? { sentinelPassword: redis.sentinelPassword } : {}),
    ...(redis.tls ? { enableTLSForSentinelMode: true, sentinelTLS: nodeTlsOptions(tlsSettings(redis)) } : {}),
    // No `failoverDetector`: its disconnect on `+switch-master` can land while a reconnect is
    // asking the sentinels, which ends that client for good ("Connection is closed"). Queue
    // connections follow the announcement through their own connector (redis-sentinel.ts); a
    // direct client moves when the old master drops it: demoted (the sentinels close its
    // clients) or dead.
  };
}

/** The mapping's TLS settings; `tls: true` means the public roots, verified. */
function tlsSettings(redis: RedisServersConfig): TlsSettings | undefined {
  return typeof redis.tls === 'object' ? redis.tls : undefined;
}

/** Where a refused TLS handshake can be looked at again, to name the server's certificate. */
function firstTlsEndpoint(redis: QueueRedis) {
  const url = typeof redis === 'string' ? redis : redis.url;
  const servername = typeof redis === 'string' ? undefined : tlsSettings(redis)?.servername;
  if (url) {
    const parsed = new URL(url);
    return {
      host: parsed.hostname || '127.0.0.1',
      port: parsed.port ? Number(parsed.port) : 6379,
      startTls: 'direct' as const,
      ...(servername ? { servername } : {}),
    };
  }
  if (typeof redis === 'string') return undefined;
  const first = (redis.cluster ?? redis.sentinels ?? [])[0];
  return first
    ? { ...parseAddress(first), startTls: 'direct' as const, ...(servername ? { servername } : {}) }
    : undefined;
}
