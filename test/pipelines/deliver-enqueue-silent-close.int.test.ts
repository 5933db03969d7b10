/**
 * A deliver queue opened for one call (a sign job of a pipeline whose target the process has no
 * queue for) is closed after the call, and its close waited for Redis to answer QUIT without a
 * bound: a Redis that stopped answering held the sign job there for good, its connection open.
 * The close is now bounded, and the connection dropped once it is late.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { createQueues } from '../../pipelines/queues.js';
import { closeQueuesWithin } from '../../pipelines/queues-close.js';
import { queueConnection } from '../../pipelines/redis.js';
import { enqueueSignedDeliveries } from '../../pipelines/workers/deliver-enqueue.js';
import { obliterate } from '../support/demo-workspace.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { until } from '../support/until.js';

let proxy: SilentProxy | undefined;
afterAll(async () => {
  await proxy?.close();
});

it('a queue opened for the call and closed while Redis does not answer is dropped, not waited on', async () => {
  // Every connection is answered until it sends QUIT; from then on it is not.
  proxy = await silentProxy(6379, /\$4\r\nquit\r\n/i);
  const prefix = `lb-enqueue-${randomUUID().slice(0, 8)}`;
  const log = createLogger({ level: 'silent' });
  // The process's queues hold no deliver queue for `city`.
  const queues = createQueues(queueConnection(`redis://127.0.0.1:${proxy.port}`), prefix, [], log);
  try {
    await Promise.all(
      [queues.extract, queues.sign, queues.reconcile, queues.lifecycle].map((q) => q.waitUntilReady()),
    );
    const before = proxy.open;
    const config = { targets: { city: { type: 'rest-json' } } } as never;
    const added = enqueueSignedDeliveries(config, queues, 'city', {
      pipeline: 'p',
      runId: 'r',
      versionIds: [1, 2],
    });
    const outcome = await Promise.race([
      added,
      new Promise((r) => setTimeout(() => r('still closing'), 20_000)),
    ]);
    expect(outcome).toBe(1);
    expect(proxy.silenced).toBe(1);
    // The call's own connection is closed, the process's queues' left open.
    await until(() => proxy?.open === before, 3000).catch(() => undefined);
    expect(proxy.open).toBe(before);
  } finally {
    await closeQueuesWithin(queues, 2000);
    // Its keys (the queues' meta, the city job) are in the shared Redis behind the proxy: left
    // there after every run before.
    await obliterate(prefix);
  }
}, 60_000);
