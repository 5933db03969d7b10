import { Redis } from 'ioredis';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';

/** Connection options BullMQ accepts; built from the configured URL. */
export interface RedisConnectionOptions {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: Record<string, never>;
  maxRetriesPerRequest: null;
}

/** Parses `redis://[user:password@]host:port[/db]` (or `rediss://`) into ioredis options. */
export function redisOptionsFromUrl(url: string): RedisConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new LicbridgeError(ErrorCodes.CONFIG_INVALID, `queue: invalid Redis URL \`${redactUrl(url)}\``, {
      cause,
    });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `queue: expected a redis:// or rediss:// URL, got \`${redactUrl(url)}\``,
    );
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    db: Number.isInteger(db) ? db : 0,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's workers block on Redis; they require this to be null.
    maxRetriesPerRequest: null,
  };
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/**
 * Checks that Redis answers within `timeoutMs`, so a run fails fast with a useful message
 * instead of BullMQ reconnecting forever.
 */
export async function assertRedisReachable(url: string, timeoutMs: number): Promise<void> {
  const options = redisOptionsFromUrl(url);
  const client = new Redis({
    ...options,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => {
    // Reported through the rejected promise below.
  });
  const timer = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref();
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), timer]);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new LicbridgeError(
      ErrorCodes.QUEUE_UNREACHABLE,
      `queue: Redis is not reachable at ${redactUrl(url)}: ${detail}. ` +
        'Start it (for example `redis-server --daemonize yes --port 6379`) or point `queue.redis` ' +
        'in the config (or LICBRIDGE_REDIS_URL for the demo) at a running Redis.',
      { retryable: true, cause },
    );
  } finally {
    client.disconnect();
  }
}
