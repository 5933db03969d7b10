import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullmq } from '../../pipelines/bullmq.js';
import { type QueueRedis, queueConnection } from '../../pipelines/redis.js';
import { adminClient, type SentinelSet, startSentinelSet } from '../support/redis-servers.js';

/**
 * Jobs added while the sentinels switch masters. After a planned `SENTINEL FAILOVER` the old
 * master takes writes until the sentinels demote it, seconds later, and drops them then; queue
 * connections must leave it when the switch is announced (`+switch-master`), and no connection may
 * end for good on the way.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const QUEUES = 4;
// The test hears the announcement on its own subscription, the connections on theirs, from the
// same sentinels at the same moment: an add sent before the test heard it may have been answered
// by the old master before the connections heard it; when one sent after it leaves, their copy of
// the message is already there to be read, before any answer to it. Sequence, not a margin of ms.

/** How the master goes away; each resolves once the failover is asked for, or the master is gone. */
const FAILOVERS: [string, (set: SentinelSet, sentinelPassword: string) => Promise<void>][] = [
  [
    'SENTINEL FAILOVER (the old master lives on until demoted)',
    async (set, sentinelPassword) => {
      const sentinel = adminClient(set.sentinelPorts[0] ?? 0, sentinelPassword);
      try {
        await sentinel.call('SENTINEL', 'FAILOVER', set.masterName);
      } finally {
        sentinel.disconnect();
      }
    },
  ],
  ['the master killed (SIGKILL)', (set) => set.killMaster()],
];

describe.each(FAILOVERS)(
  'jobs added under load while Redis behind Sentinel fails over: %s',
  (_how, failover) => {
    let set: SentinelSet;
    const password = `pw-${randomUUID()}`;
    const sentinelPassword = `spw-${randomUUID()}`;

    beforeAll(async () => {
      set = await startSentinelSet({ password, sentinelPassword });
    }, 60_000);

    afterAll(async () => {
      await set?.stop();
    });

    it('every add sent after the switch was announced is on the new master, and every connection lives on', async () => {
      const redis: QueueRedis = {
        sentinels: set.sentinelPorts.map((p) => `127.0.0.1:${p}`),
        name: set.masterName,
        password,
        sentinelPassword,
        db: 0,
        tls: false,
      };
      const prefix = `test-${randomUUID()}`;
      const queues: Queue[] = Array.from(
        { length: QUEUES },
        (_, i) => new bullmq.Queue(`switch-${i}`, { connection: queueConnection(redis), prefix }),
      );
      const errors: string[] = [];
      for (const q of queues) q.on('error', (e) => errors.push(e.message));
      // The announcement, heard by the test itself from every sentinel.
      let announcedAt = 0;
      const listeners = set.sentinelPorts.map((port) => {
        const sentinel = adminClient(port, sentinelPassword);
        sentinel.on('message', () => {
          announcedAt ||= Date.now();
        });
        return sentinel;
      });
      await Promise.all(listeners.map((l) => l.subscribe('+switch-master')));

      const answered: { queue: number; id: string; at: number; sentAfterHeard: boolean }[] = [];
      let stop = false;
      const adding = queues.map(async (q, queue) => {
        for (let n = 0; !stop; n++) {
          const id = `job-${n}`;
          const sentAfterHeard = announcedAt !== 0;
          await q.add('ref', { n }, { jobId: id });
          answered.push({ queue, id, at: Date.now(), sentAfterHeard });
          await sleep(5);
        }
      });
      try {
        await sleep(300);
        await failover(set, sentinelPassword);
        const end = Date.now() + 30_000;
        while (!announcedAt && Date.now() < end) await sleep(50);
        expect(announcedAt, 'the sentinels announced a new master').toBeGreaterThan(0);
        // Well within the seconds the old master, when it lives on, goes on taking writes.
        await sleep(3000);
      } finally {
        stop = true;
        await Promise.all(adding);
        for (const l of listeners) l.disconnect();
      }

      const newMaster = adminClient(set.replicaPort, password);
      try {
        expect((await newMaster.info('replication')).includes('role:master')).toBe(true);
        const after = answered.filter((a) => a.sentAfterHeard);
        // Adds went on after the switch, from every queue.
        expect(new Set(after.map((a) => a.queue)).size).toBe(QUEUES);
        const present = await Promise.all(
          after.map((a) => newMaster.exists(`${prefix}:switch-${a.queue}:${a.id}`)),
        );
        const missing = after.filter((_, i) => present[i] !== 1);
        const late = missing.map((m) => m.at - announcedAt);
        expect(
          missing.length,
          `adds sent after the announcement, missing on the new master (of ${after.length}; ms after it: ${late.slice(0, 5).join(', ')} … ${late.slice(-3).join(', ')})`,
        ).toBe(0);
      } finally {
        newMaster.disconnect();
      }
      // Every connection still serves (a client ended for good fails each add with "Connection is
      // closed." at once, and its add loop above with it).
      const last = await Promise.all(queues.map((q) => q.add('ref', { n: -1 }, { jobId: 'last' })));
      expect(last.map((j) => j.id)).toEqual(queues.map(() => 'last'));
      expect(errors.filter((e) => /Connection is closed/.test(e))).toEqual([]);
      await Promise.all(queues.map((q) => q.close()));
      // Closed (BullMQ quits its connections), they leave no subscription to a sentinel open.
      const end = Date.now() + 5000;
      let subscribed = await set.sentinelSubscribers();
      while (subscribed > 0 && Date.now() < end) {
        await sleep(100);
        subscribed = await set.sentinelSubscribers();
      }
      expect(subscribed, 'subscriptions left open on the sentinels').toBe(0);
    }, 60_000);
  },
);

/**
 * A sentinel that answers slowly: a proxy on loopback that holds each reply `delayMs`. A client
 * asking it for the master is mid-lookup for most of the time it spends reconnecting.
 */
async function slowSentinel(
  port: number,
  delayMs: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      setTimeout(() => client.writable && client.write(chunk), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a failover while a dropped connection reconnects, with a slow sentinel listed', () => {
  let set: SentinelSet;
  let slow: Awaited<ReturnType<typeof slowSentinel>>;
  const password = `pw-${randomUUID()}`;
  const sentinelPassword = `spw-${randomUUID()}`;

  beforeAll(async () => {
    set = await startSentinelSet({ password, sentinelPassword });
    // Each lookup (the master's address, then the other sentinels) takes ~2 s through it.
    slow = await slowSentinel(set.sentinelPorts[0] ?? 0, 1000);
  }, 60_000);

  afterAll(async () => {
    await slow?.close();
    await set?.stop();
  });

  // ioredis' own failover detector (`failoverDetector: true`) fails this test: it asks the slow
  // sentinel first again, and the detector of the dropped connection, still listening, hears the
  // announcement during that lookup; the lookup then fails with "Connection is closed." and the
  // client ends for good, with no retry.
  it('keeps the client, which moves to the new master', async () => {
    const redis: QueueRedis = {
      sentinels: [`127.0.0.1:${slow.port}`],
      name: set.masterName,
      password,
      sentinelPassword,
      db: 0,
      tls: false,
    };
    const client = new Redis({ ...queueConnection(redis), retryStrategy: () => 20 } as RedisOptions);
    const ended: string[] = [];
    client.on('error', () => undefined);
    client.on('end', () => ended.push('end'));
    try {
      await client.set('lb-test:before', '1');
      // The connection drops (as a restarted proxy would drop it): the client reconnects at
      // once and asks the slow sentinel, and the failover's announcement comes during that lookup.
      const master = adminClient(set.masterPort, password);
      try {
        await master.call('CLIENT', 'KILL', 'TYPE', 'normal');
      } finally {
        master.disconnect();
      }
      const sentinel = adminClient(set.sentinelPorts[1] ?? 0, sentinelPassword);
      const listener = adminClient(set.sentinelPorts[2] ?? 0, sentinelPassword);
      try {
        let announced = false;
        listener.on('message', () => {
          announced = true;
        });
        await listener.subscribe('+switch-master');
        await sentinel.call('SENTINEL', 'FAILOVER', set.masterName);
        const end = Date.now() + 30_000;
        while (!announced && Date.now() < end) await sleep(20);
        expect(announced, 'the sentinels announced a new master').toBe(true);
      } finally {
        sentinel.disconnect();
        listener.disconnect();
      }
      // The client hears the announcement through the slow sentinel, a second later.
      await sleep(2500);
      await client.set('lb-test:after', '1');
      expect(ended).toEqual([]);
      expect(client.status).toBe('ready');
      const newMaster = adminClient(set.replicaPort, password);
      try {
        expect((await newMaster.info('replication')).includes('role:master')).toBe(true);
        expect(await newMaster.get('lb-test:after')).toBe('1');
      } finally {
        newMaster.disconnect();
      }
    } finally {
      client.disconnect();
    }
  }, 60_000);
});
