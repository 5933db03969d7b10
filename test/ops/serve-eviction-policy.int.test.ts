/**
 * `licbridge serve` is the process an operator watches; a Redis that may evict keys
 * (`maxmemory-policy` other than `noeviction`) loses jobs without a trace, so serve says so in its
 * log at start, as `worker` and `run` do. Against a `redis-server` of the test's own: the policy
 * of the shared one is never changed, as other test files use it at the same time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { lineLogger } from '../support/log-lines.js';
import { adminClient, type LoneRedis, startLoneRedis } from '../support/redis-servers.js';
import { opsConfig } from './ops-fixtures.js';

let ws: DemoWorkspace;
let own: LoneRedis | undefined;
let admin: ReturnType<typeof adminClient> | undefined;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 1 });
  own = await startLoneRedis();
  admin = adminClient(own.port);
}, 30_000);
afterAll(async () => {
  admin?.disconnect();
  await own?.stop();
  await ws?.cleanup();
});

/** Starts serve against the test's Redis and returns the log lines written once it has looked. */
async function serveLog(name: string): Promise<{ msg?: string; maxmemoryPolicy?: string }[]> {
  const { logger, lines } = lineLogger();
  const { config } = await opsConfig(
    ws,
    name,
    'serve: { port: 0 }\nmetrics: { lagIntervalMs: 0 }\n',
    own?.url ?? '',
  );
  const server = await startOpsServer(config, logger);
  try {
    // The look at Redis runs beside the listening server; a scrape of /readyz waits on Redis too.
    await server.redisChecked;
  } finally {
    await server.close();
  }
  return lines.map((l) => JSON.parse(l) as { msg?: string; maxmemoryPolicy?: string });
}

describe('serve and a Redis that may evict keys', () => {
  it('logs a warning naming the policy and the fix when it starts', async () => {
    await admin?.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const warned = (await serveLog('evicting.yaml')).filter((l) => l.msg?.includes('may evict keys'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 40, maxmemoryPolicy: 'allkeys-lru' });
    expect(warned[0]?.msg).toContain('set `maxmemory-policy noeviction`');
  });

  it('says nothing of eviction when Redis keeps every key', async () => {
    await admin?.config('SET', 'maxmemory-policy', 'noeviction');
    const lines = await serveLog('keeping.yaml');
    expect(lines.filter((l) => l.msg?.includes('may evict keys'))).toEqual([]);
  });
});
