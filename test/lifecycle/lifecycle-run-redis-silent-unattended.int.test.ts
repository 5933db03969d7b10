/**
 * `licbridge lifecycle run`, unattended (no stop comes), whose Redis takes its commands and stops
 * answering while the tick's versions go out. Nothing moving, its wait swept the ledger again into
 * the queues, and the sweep waited for Redis's answer for good (BullMQ's connections wait without a
 * bound): the idle timeout never came, and the command never ended; so did the queuing of the
 * tick's versions before the wait. Each is now bounded by the idle timeout, as `licbridge run`'s
 * sweep is: the command fails with LB_QUEUE_UNREACHABLE naming Redis, its connections dropped.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { outcomeWithin, type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const workspaces: DemoWorkspace[] = [];
const proxies: SilentProxy[] = [];

afterAll(async () => {
  for (const p of proxies) await p.close();
  for (const w of workspaces) await w.cleanup();
});

/**
 * A demo workspace of `rows` licenses, read and delivered with Redis answering, then reached
 * through a silent proxy (`marker` as silentProxy takes it) for the tick.
 */
async function delivered(rows: number, marker?: RegExp) {
  const ws = await createDemoWorkspace({ rows });
  workspaces.push(ws);
  const proxy = await silentProxy(6379, marker);
  proxies.push(proxy);
  const [run] = await runPipelines(await loadConfig({ file: ws.configFile, env: {} }), {
    pipelines: [PIPELINE],
    full: false,
    logger,
    idleTimeoutMs: 5000,
  });
  expect(run?.state).toBe('done');
  const text = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, text.replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`));
  return { config: await loadConfig({ file: ws.configFile, env: process.env }), proxy };
}

/** The tick's outcome: ended (each bound is seconds), failed naming Redis, no connection left. */
async function givesUp(tick: Promise<unknown>, proxy: SilentProxy, step: RegExp): Promise<void> {
  // The idle timeout, then 5 s for each part of the close: one that waited on Redis for good would
  // still be waiting.
  const outcome = await outcomeWithin(60_000, tick);
  expect(outcome).not.toBe('hung');
  expect(outcome).toMatchObject({ code: 'LB_QUEUE_UNREACHABLE', message: expect.stringMatching(step) });
  await until(() => proxy.open === 0, 5_000).catch(() => undefined);
  expect(proxy.open).toBe(0);
}

it('a lifecycle run whose Redis stops answering mid-wait gives up after its idle timeout', async () => {
  const { config, proxy } = await delivered(200);
  let owed = false;
  // A day after every demo license's last valid day: the tick expires every valid one. At the
  // wait's first look its versions are queued and not all out yet: Redis falls silent then.
  const tick = runLifecycle(config, {
    logger,
    today: '2099-01-01',
    idleTimeoutMs: 6000,
    onSettling: (done, total) => {
      if (owed) return;
      owed = done < total;
      if (owed) proxy.silence();
    },
  });
  await givesUp(tick, proxy, /lifecycle run: a sweep got no answer from Redis or the ledger/);
  expect(owed).toBe(true);
}, 90_000);

it('a lifecycle run whose Redis stops answering as its versions are queued gives up', async () => {
  // Silent from the first command naming the pipeline in a job's data: the tick's versions queued.
  const { config, proxy } = await delivered(20, /"pipeline":"food-business-licenses"/);
  const tick = runLifecycle(config, { logger, today: '2099-01-01', idleTimeoutMs: 6000 });
  await until(() => proxy.silenced > 0, 30_000, { what: "the tick's versions queued" });
  proxy.silence();
  await givesUp(tick, proxy, /lifecycle run: queuing the tick's versions got no answer from Redis/);
}, 90_000);
