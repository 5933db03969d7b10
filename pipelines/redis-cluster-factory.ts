import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { bullmq } from './bullmq.js';
import type { RedisConnectionOptions } from './redis.js';

let clusterFactoryInstalled = false;

/**
 * BullMQ's documented hook for building its clients: options carrying `clusterNodes` become an
 * ioredis `Cluster` (BullMQ handles a cluster client as such); any other options a plain client,
 * as BullMQ itself would build. Each BullMQ connection still owns, and closes, its client.
 */
export function installClusterFactory(): void {
  if (clusterFactoryInstalled) return;
  clusterFactoryInstalled = true;
  const previous = bullmq.RedisConnection.clientFactory;
  bullmq.RedisConnection.clientFactory = (opts) => {
    const {
      clusterNodes,
      host: _host,
      port: _port,
      retryStrategy,
      ...perNode
    } = opts as RedisConnectionOptions;
    if (!clusterNodes)
      return previous ? previous(opts) : bullmq.createIORedisClient(new Redis(opts as RedisOptions));
    const options: ClusterOptions = {
      redisOptions: perNode,
      ...(retryStrategy ? { clusterRetryStrategy: retryStrategy } : {}),
    };
    return bullmq.createIORedisClient(keepingItsEnd(new Cluster([...clusterNodes], options)));
  };
}

/**
 * `cluster`, kept at `end` until connected again. ioredis 5 set an ended cluster back to `close` as
 * a node it let go ended late, and BullMQ 6 then reconnected a closing worker's blocking cluster; a
 * late node took a new, connected node out of its pool, which the close never reached: a finished
 * `licbridge run` did not exit. From `end`, a cluster leaves only by `connect`, `disconnect`, `quit`.
 */
function keepingItsEnd(cluster: Cluster): Cluster {
  let status = cluster.status;
  const set = (next: Cluster['status']) => {
    if (status !== 'end' || next !== 'close') status = next;
  };
  Object.defineProperty(cluster, 'status', { configurable: true, enumerable: true, get: () => status, set });
  return cluster;
}
