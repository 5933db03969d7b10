/**
 * A Redis whose CLIENT command is switched off (`rename-command CLIENT ""`, the usual hardening, or
 * a managed Redis that has none) answers CLIENT LIST with `ERR unknown command 'client'`. BullMQ
 * takes that answer for one worker it cannot name, so every queue counted one live worker: jobs
 * waited with no worker running, and `licbridge status` said all well. The count is unknown, and
 * said so, as for a Redis user not granted CLIENT LIST (status-workers-unlisted).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueAttention } from '../../pipelines/observability/attention.js';
import { queueStats } from '../../pipelines/observability/queue-stats.js';
import { freePort } from '../support/redis-servers.js';

describe('status: a Redis without the CLIENT command', () => {
  let server: ChildProcess;
  let port: number;
  let queue: Queue;

  beforeAll(async () => {
    port = await freePort();
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
        // The CLIENT command switched off.
        .concat(['--rename-command', 'CLIENT', '']),
      { stdio: 'ignore' },
    );
    // Answering once it listens.
    for (let tries = 0; ; tries++) {
      const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        break;
      } catch (e) {
        if (tries > 50) throw e;
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        probe.disconnect();
      }
    }
    queue = new Queue(`test-${randomUUID()}`, { connection: { host: '127.0.0.1', port } });
    queue.on('error', () => undefined);
  });
  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    server?.kill();
  });

  it('says whether a live worker takes the jobs is unknown, never that one does', async () => {
    await queue.add('extract', { pipeline: 'food' });
    const stats = await queueStats(queue);
    expect(stats.waiting).toBe(1);
    expect(stats.workers).toBe(0);
    expect(stats.workersUnknown).toContain('CLIENT');
    const notes = queueAttention([stats]);
    expect(notes.map((n) => n.kind)).toEqual(['queue-unworked']);
    expect(notes[0]?.message).toContain('and whether a live worker takes them is unknown');
  });
});

describe('status: a Redis that lists its clients', () => {
  it('still counts the live workers of a queue', async () => {
    const connection = { host: '127.0.0.1', port: 6379 };
    const name = `test-${randomUUID()}`;
    const queue = new Queue(name, { connection });
    const worker = new Worker(name, async () => undefined, { connection, autorun: false });
    worker.on('error', () => undefined);
    try {
      await worker.waitUntilReady();
      const stats = await queueStats(queue);
      expect(stats.workersUnknown).toBeUndefined();
      expect(stats.workers).toBe(1);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
