/**
 * A queue on the test Redis, under `prefix`, and a worker of it with no processor: a test takes its
 * jobs by hand (`worker.getNextJob`), as a worker's main loop takes them, at the moment it chooses.
 * Made when called, in a `describe`; after each test its spies are restored and the queue
 * obliterated, and after all of them both are closed and everything under `prefix` removed.
 */
import { Queue, Worker } from 'bullmq';
import { afterAll, afterEach, vi } from 'vitest';
import { obliterate } from './demo-workspace.js';

export function queueTakenByHand(name: string, prefix: string): { queue: Queue; worker: Worker } {
  const connection = { host: '127.0.0.1', port: 6379 };
  const queue = new Queue(name, { connection, prefix });
  const worker = new Worker(name, null, { connection, prefix, lockDuration: 60_000 });

  afterEach(async () => {
    vi.restoreAllMocks();
    await queue.obliterate({ force: true });
  });

  afterAll(async () => {
    await worker.close();
    await queue.close();
    await obliterate(prefix);
  });

  return { queue, worker };
}
