/**
 * `licbridge run` stopped while its Redis does not answer (its connections open, no reply) leaves
 * none of them open. Its stop closed its queues within a bound and went on; BullMQ's close was
 * still waiting for Redis to answer its QUIT, so the connections stayed open past the command: a
 * process would not exit on its own, and one that went on (a test's, the dashboard's) kept them,
 * reconnecting and logging each failure once they dropped. A queue not closed in time is now dropped.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });
let ws: DemoWorkspace | undefined;
let proxy: SilentProxy | undefined;

afterAll(async () => {
  await proxy?.close();
  await ws?.cleanup();
});

it('a run stopped while Redis does not answer ends with none of its connections open', async () => {
  ws = await createDemoWorkspace({ rows: 300 });
  proxy = await silentProxy(6379);
  const text = await readFile(ws.configFile, 'utf8');
  await writeFile(
    ws.configFile,
    text
      .replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`)
      .replace('pageSize: 100', 'pageSize: 5'),
  );
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const stop = new AbortController();
  const outcome = runPipelines(config, {
    pipelines: [PIPELINE],
    full: false,
    logger: quiet,
    stop: stop.signal,
  }).then(
    () => 'finished' as const,
    (e: unknown) => e,
  );
  // Once its run is in the ledger and its queues are open, Redis falls silent, and the stop comes.
  const ledger = await openLedger(config.ledger.url);
  try {
    await until(async () => (await ledger.lastRun(PIPELINE))?.state === 'running', 30_000, {
      what: 'the run started',
    });
  } finally {
    await ledger.close();
  }
  expect(proxy.open).toBeGreaterThan(0);
  proxy.silence();
  stop.abort('SIGTERM');
  // The stop's whole bound is 30 s: one that waited on Redis for good would still be stopping.
  const ended = await Promise.race([outcome, sleep(60_000).then(() => 'still stopping' as const)]);
  expect(ended).toBeInstanceOf(RunStopped);
  // Closed as the run ended (their closes are seen here a moment later).
  await until(() => proxy?.open === 0, 5_000).catch(() => undefined);
  expect(proxy.open).toBe(0);
}, 120_000);

it('a run stopped while its extract job waits on a Redis that does not answer ends', async () => {
  const ws2 = await createDemoWorkspace({ rows: 30 });
  // Silent from the command that adds the run's extract job: its data names the pipeline.
  const silent = await silentProxy(6379, /"pipeline":"food-business-licenses"/);
  try {
    const text = await readFile(ws2.configFile, 'utf8');
    await writeFile(
      ws2.configFile,
      text.replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${silent.port}`),
    );
    const config = await loadConfig({ file: ws2.configFile, env: {} });
    const stop = new AbortController();
    const outcome = runPipelines(config, {
      pipelines: [PIPELINE],
      full: false,
      logger: quiet,
      stop: stop.signal,
    }).then(
      () => 'finished' as const,
      (e: unknown) => e,
    );
    await until(() => silent.silenced > 0, 30_000, { what: 'the extract job added' });
    stop.abort('SIGTERM');
    // Its start waited for the answer for good: the stop was never heard, nor the process ended.
    const ended = await Promise.race([outcome, sleep(60_000).then(() => 'still stopping' as const)]);
    expect(ended).toBeInstanceOf(RunStopped);
    await until(() => silent.open === 0, 5_000).catch(() => undefined);
    expect(silent.open).toBe(0);
  } finally {
    await silent.close();
    await ws2.cleanup();
  }
}, 120_000);
