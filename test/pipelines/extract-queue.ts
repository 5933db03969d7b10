/**
 * The extract queue on the local Redis under a prefix of the test's own (`test-<uuid>`), ready
 * before the enclosing `describe`'s tests and obliterated after them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { bullmq } from '../../pipelines/bullmq.js';
import { EXTRACT_QUEUE } from '../../pipelines/queues.js';

const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };

export function useExtractQueue() {
  const queue = new bullmq.Queue(EXTRACT_QUEUE, { connection, prefix: `test-${randomUUID()}` });
  beforeAll(async () => {
    await queue.waitUntilReady();
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });
  return queue;
}
