/**
 * A worker on a Redis Cluster, closed, connects to the cluster no more. BullMQ's close first drops
 * the worker's blocking connection, and its blocking read then fails; BullMQ reconnects a cluster
 * whose blocking read failed unless the client has ended. ioredis reported the dropped cluster
 * `close` again once a second node let go after it had ended, so BullMQ connected it anew while
 * the worker closed: a connection to the cluster and a lookup of its slots on every close. A node
 * that let go late then took the new node of the same address out of the cluster's pool, which
 * the close never reached: `licbridge run` finished and its process did not end (CI, the
 * command-line case of redis-cluster.int.test.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullmq } from '../../pipelines/bullmq.js';
import { queueConnection } from '../../pipelines/redis.js';
import { adminClient, type RedisClusterSet, startRedisCluster } from '../support/redis-servers.js';

/** Connections every node of the cluster has accepted since it started. */
async function connectionsReceived(admins: readonly Redis[]): Promise<number> {
  let total = 0;
  for (const admin of admins) {
    total += Number(/^total_connections_received:(\d+)/m.exec(await admin.info('stats'))?.[1]);
  }
  return total;
}

/** Whether a client named `name` waits in a blocking read on one of the nodes. */
async function blockedAs(admins: readonly Redis[], name: string): Promise<boolean> {
  for (const admin of admins) {
    const list = String(await admin.call('CLIENT', 'LIST'));
    if (list.split('\n').some((line) => line.includes(` name=${name} `) && /\bcmd=bzpopmin\b/.test(line)))
      return true;
  }
  return false;
}

describe('a worker on a Redis Cluster', () => {
  let cluster: RedisClusterSet;
  let admins: Redis[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    admins = cluster.ports.map((port) => adminClient(port));
  }, 60_000);

  afterAll(async () => {
    for (const admin of admins) admin.disconnect();
    await cluster?.stop();
  });

  it('closes without connecting to the cluster again', async () => {
    const connection = queueConnection({
      cluster: cluster.ports.map((p) => `127.0.0.1:${p}`),
      db: 0,
      tls: false,
    });
    const prefix = `{test-${randomUUID()}}`;
    // A run's workers, each closed in turn once it waits for jobs.
    const opened: number[] = [];
    for (const name of ['extract', 'sign', 'deliver-province', 'deliver-city']) {
      const worker = new bullmq.Worker(name, async () => undefined, { connection, prefix });
      worker.on('error', () => undefined);
      // BullMQ names the blocking connection `<prefix>:<queue name in base64>`.
      const blocking = `${prefix}:${Buffer.from(name).toString('base64')}`;
      while (!(await blockedAs(admins, blocking))) await new Promise((r) => setTimeout(r, 20));
      const before = await connectionsReceived(admins);
      await worker.close();
      opened.push((await connectionsReceived(admins)) - before);
    }
    expect(opened, 'connections the cluster accepted while each worker closed').toEqual([0, 0, 0, 0]);
  });
});
