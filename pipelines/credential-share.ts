/**
 * The queue's Redis as the store where a deployment's processes share platform credentials (an
 * OAuth2 token, a refreshed app secret: adapters/platforms/shared/auth/token-share.ts). Used by
 * the runtime (workers, runs, reminder ticks) and by commands that open a target outside it
 * (`licbridge catalog pull`).
 */
import { RedisTokenShare, type TokenShare } from '../adapters/platforms/shared/auth/token-share.js';
import type { QueueConfig } from '../config/types.js';
import { createRedisClient } from './redis.js';

export interface OpenedTokenShare {
  share: TokenShare;
  /** Closes the connection; the share is not used after. */
  close(): void;
}

export function openTokenShare(queue: Pick<QueueConfig, 'redis' | 'prefix'>): OpenedTokenShare {
  const client = createRedisClient(queue.redis, {
    // A read waits for Redis no longer than this; the strategy then fetches a credential of its own.
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  client.on('error', () => {
    // The auth strategy says once that the share cannot be reached.
  });
  return { share: new RedisTokenShare(client, queue.prefix), close: () => client.disconnect() };
}
