import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions, SentinelConnector } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type QueueRedis, queueConnection } from '../../pipelines/redis.js';
import { adminClient, freePort, type LoneRedis, startLoneRedis } from '../support/redis-servers.js';
import { until } from '../support/until.js';

/**
 * How a queue connection behind Sentinel reacts to each `+switch-master` announcement. The
 * announcements are published on the test Redis (127.0.0.1:6379), which the connections subscribe
 * to as their "sentinel"; only the master lookup, which a plain Redis cannot answer, is given by
 * the test: `target` names the master, and the connection reaches that Redis there.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CHANNEL = '+switch-master';
// Local publish reaches a subscriber within milliseconds; a connection that is going to be dropped
// is dropped well within this.
const HEARING_MS = 500;

type Address = { host: string; port: number };
let target: Address = { host: '127.0.0.1', port: 6379 };
const internals = SentinelConnector.prototype as unknown as { resolve(e: unknown): Promise<Address | null> };

let bus: Redis;
const clients: Redis[] = [];

/** Subscribers to the channel on the test Redis before any connection of this file. */
let base = 0;

beforeAll(async () => {
  bus = adminClient(6379);
  vi.spyOn(internals, 'resolve').mockImplementation(async () => ({ ...target }));
  base = await subscribers();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  // Closed, the connections leave no subscription behind.
  await until(async () => (await subscribers()) === base, 5000, {
    what: 'the subscriptions closed',
    every: 20,
  });
});

afterAll(() => {
  vi.restoreAllMocks();
  bus.disconnect();
});

async function subscribers(on: Redis = bus): Promise<number> {
  const reply = (await on.call('PUBSUB', 'NUMSUB', CHANNEL)) as [string, number];
  return Number(reply[1]);
}

/** A queue connection as BullMQ gets it, listening on the sentinels named. */
async function queueClient(name: string, sentinels: string[], extra: RedisOptions = {}): Promise<Redis> {
  const redis: QueueRedis = { sentinels, name, db: 0, tls: false };
  const client = new Redis({ ...queueConnection(redis), retryStrategy: () => 20, ...extra } as RedisOptions);
  client.on('error', () => undefined);
  clients.push(client);
  await client.ping();
  await until(async () => (await subscribers()) > base, 5000, {
    what: 'the connection listens on the sentinel',
    every: 20,
  });
  return client;
}

/** Whether a client connected after connection `id` is subscribed on the test Redis. */
async function listeningSince(id: number): Promise<boolean> {
  const list = String(await bus.call('CLIENT', 'LIST'));
  return list.split('\n').some((line) => /\bsub=1\b/.test(line) && Number(/\bid=(\d+)/.exec(line)?.[1]) > id);
}

const connectionId = (client: Redis) => client.client('ID') as Promise<number>;

describe('a queue connection behind Sentinel, told of a new master', () => {
  it('stays on the master it reached by host name when the announcement names that master so', async () => {
    // Sentinels with `announce-hostnames yes` name masters by host name in lookups and
    // announcements alike; the socket's peer is an IP address. A connection already on the new
    // master (reached after the first sentinel's announcement, say, when the others' come in) that
    // is dropped sends again what it had not seen answered: writes the master has already applied.
    target = { host: 'localhost', port: 6379 };
    const name = `m-${randomUUID()}`;
    const client = await queueClient(name, ['127.0.0.1:6379']);
    const id = await connectionId(client);
    await bus.publish(CHANNEL, `${name} old-master 6390 localhost 6379`);
    await sleep(HEARING_MS);
    expect(await connectionId(client), 'the connection to the new master was dropped').toBe(id);
  });

  it('leaves the old master at an announcement worded as one it heard before', async () => {
    // A to B heard; B back to A while the connection was between two attempts (an unplanned
    // failover: it reconnects with a back-off of seconds), unheard; then A to B again, word for
    // word the first announcement. The connection on A must leave it as it did the first time.
    target = { host: '127.0.0.1', port: 6379 };
    const name = `m-${randomUUID()}`;
    const client = await queueClient(name, ['127.0.0.1:6379']);
    const announcement = `${name} 127.0.0.1 6379 127.0.0.1 6390`;
    const first = await connectionId(client);
    await bus.publish(CHANNEL, announcement);
    await until(async () => (await connectionId(client)) !== first, 5000, {
      what: 'left the old master',
      every: 20,
    });
    // Back on "A" (the lookup still names it) and listening again, on a subscription opened since.
    await until(async () => listeningSince(first), 5000, { what: 'listening again', every: 20 });
    const second = await connectionId(client);
    await bus.publish(CHANNEL, announcement);
    await sleep(HEARING_MS);
    expect(await connectionId(client), 'the connection stayed on the old master').not.toBe(second);
  });

  it('does not act on an announcement for another master of the same sentinels', async () => {
    target = { host: '127.0.0.1', port: 6379 };
    const name = `m-${randomUUID()}`;
    const client = await queueClient(name, ['127.0.0.1:6379']);
    const id = await connectionId(client);
    await bus.publish(CHANNEL, `other-${name} 127.0.0.1 6379 127.0.0.1 6390`);
    await sleep(HEARING_MS);
    expect(await connectionId(client)).toBe(id);
  });
});

describe('a sentinel unreachable when the connection starts', () => {
  let late: LoneRedis | undefined;
  afterAll(async () => {
    await late?.stop();
  });

  it('is listened to once it comes up, however many attempts that took', async () => {
    // ioredis gives up a command after 20 reconnects (maxRetriesPerRequest): the SUBSCRIBE waiting
    // for a sentinel down that long (20 min at ioredis' one attempt a minute) would be dropped,
    // and the sentinel, once up, never listened to. Here attempts are 10 ms apart.
    target = { host: '127.0.0.1', port: 6379 };
    const port = await freePort();
    const name = `m-${randomUUID()}`;
    await queueClient(name, ['127.0.0.1:6379', `127.0.0.1:${port}`], { sentinelReconnectStrategy: () => 10 });
    await sleep(1000);
    late = await startLoneRedis({ port });
    await until(
      async () => {
        const sentinel = adminClient(port);
        try {
          return (await subscribers(sentinel)) > 0;
        } catch {
          return false;
        } finally {
          sentinel.disconnect();
        }
      },
      5000,
      { what: 'the connection listens on the sentinel that came up', every: 20 },
    );
  });
});
