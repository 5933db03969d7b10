/**
 * The Redis of `licbridge run` goes down mid-run and stays down (a restart that does not come
 * back): every connection drops and each new one is closed at once. Unattended, nobody stops the
 * run: it must not reconnect for ever, but give up after its idle timeout, saying Redis could
 * not be reached, with its run ended `failed` in the ledger.
 */
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { type RestartingRedis, restartingRedis } from '../support/restarting-redis.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });

let ws: DemoWorkspace;
let proxy: RestartingRedis;
let ledger: Ledger;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 300 });
  proxy = await restartingRedis();
  // Pages of 5: the run is still extracting when Redis goes.
  await writeFile(
    ws.configFile,
    demoConfigYaml({
      prefix: ws.prefix,
      simulatorUrl: ws.simulator.url,
      redis: `redis://127.0.0.1:${proxy.port}`,
    }).replace('pageSize: 100', 'pageSize: 5'),
  );
}, 120_000);

afterAll(async () => {
  await ledger?.close();
  await proxy?.close();
  await ws?.cleanup();
});

it('a run whose Redis goes down for good gives up after its idle timeout, its run failed', async () => {
  const config = await loadConfig({ file: ws.configFile, env: {} });
  ledger = await openLedger(config.ledger.url, { logger: quiet });
  const outcome = runPipelines(config, {
    pipelines: [PIPELINE],
    full: false,
    logger: quiet,
    idleTimeoutMs: 3000,
    sweepAfterMs: 500,
  }).then(
    () => 'finished' as const,
    (e: unknown) => e,
  );
  await until(async () => (await ledger.lastRun(PIPELINE))?.state === 'running', 30_000, {
    what: 'the run started',
  });
  proxy.down();
  const ended = await Promise.race([outcome, sleep(60_000).then(() => 'still waiting' as const)]);
  expect(ended).toMatchObject({ code: 'LB_QUEUE_UNREACHABLE' });
  expect((await ledger.lastRun(PIPELINE))?.state).toBe('failed');
}, 120_000);
