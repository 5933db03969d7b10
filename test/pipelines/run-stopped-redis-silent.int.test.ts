/**
 * `licbridge run` stopped while its Redis does not answer (its connections open, no reply) leaves
 * none of them open. Its stop closed its queues within a bound and went on; BullMQ's close was
 * still waiting for Redis to answer its QUIT, so the connections stayed open past the command: a
 * process would not exit on its own, and one that went on (a test's, the dashboard's) kept them,
 * reconnecting and logging each failure once they dropped. A queue not closed in time is now dropped.
 * A stop that came while the run waited on such a Redis (its extract job being added) was not
 * heard at all: the run never ended. Such a step is now left 5 s after the stop.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { type RunOptions, runPipelines } from '../../pipelines/run-pipelines.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });
const workspaces: DemoWorkspace[] = [];
const proxies: SilentProxy[] = [];

afterAll(async () => {
  for (const p of proxies) await p.close();
  for (const w of workspaces) await w.cleanup();
});

/**
 * `licbridge run` of a demo workspace of `rows` whose Redis is reached through a silent proxy
 * (`marker` as silentProxy takes it), stoppable with `stop`; `outcome` is `finished`, or what it
 * threw.
 */
async function proxiedRun(rows: number, marker?: RegExp, more: Partial<RunOptions> = {}) {
  const ws = await createDemoWorkspace({ rows });
  workspaces.push(ws);
  const proxy = await silentProxy(6379, marker);
  proxies.push(proxy);
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
    ...more,
  }).then(
    () => 'finished' as const,
    (e: unknown) => e,
  );
  return { config, proxy, stop, outcome };
}

/** Stops the run, expecting it ended stopped within the stop's bound and every connection closed. */
async function stopsClean(run: Awaited<ReturnType<typeof proxiedRun>>): Promise<void> {
  run.stop.abort('SIGTERM');
  // The stop's whole bound is 35 s: one that waited on Redis for good would still be stopping.
  const ended = await Promise.race([run.outcome, sleep(60_000).then(() => 'still stopping' as const)]);
  expect(ended).toBeInstanceOf(RunStopped);
  // Closed as the run ended (their closes are seen here a moment later).
  await until(() => run.proxy.open === 0, 5_000).catch(() => undefined);
  expect(run.proxy.open).toBe(0);
}

it('a run stopped while Redis does not answer ends with none of its connections open', async () => {
  const run = await proxiedRun(300);
  // Once its run is in the ledger and its queues are open, Redis falls silent, and the stop comes.
  const ledger = await openLedger(run.config.ledger.url, { logger: quiet });
  try {
    await until(async () => (await ledger.lastRun(PIPELINE))?.state === 'running', 30_000, {
      what: 'the run started',
    });
  } finally {
    await ledger.close();
  }
  expect(run.proxy.open).toBeGreaterThan(0);
  run.proxy.silence();
  await stopsClean(run);
}, 120_000);

it('a run stopped while its extract job waits on a Redis that does not answer ends', async () => {
  // Silent from the command that adds the run's extract job: its data names the pipeline. Its
  // start waited for the answer for good: the stop was never heard, nor the process ended.
  const run = await proxiedRun(30, /"pipeline":"food-business-licenses"/);
  await until(() => run.proxy.silenced > 0, 30_000, { what: 'the extract job added' });
  await stopsClean(run);
}, 120_000);

it('a run whose Redis stops answering, never stopped, gives up after its idle timeout', async () => {
  // Unattended, nobody stops it: a sweep waited on Redis for good, the idle timeout never came.
  const run = await proxiedRun(300, undefined, { idleTimeoutMs: 3000, sweepAfterMs: 500 });
  const ledger = await openLedger(run.config.ledger.url, { logger: quiet });
  try {
    await until(async () => (await ledger.lastRun(PIPELINE))?.state === 'running', 30_000, {
      what: 'the run started',
    });
    run.proxy.silence();
    const ended = await Promise.race([run.outcome, sleep(60_000).then(() => 'still waiting' as const)]);
    expect(ended).toMatchObject({ code: 'LB_QUEUE_UNREACHABLE' });
    expect((await ledger.lastRun(PIPELINE))?.state).toBe('failed');
  } finally {
    await ledger.close();
  }
  await until(() => run.proxy.open === 0, 5_000).catch(() => undefined);
  expect(run.proxy.open).toBe(0);
}, 120_000);

it('a run whose Redis stops answering as its extract job is queued, never stopped, gives up', async () => {
  // Unattended: the start waited for the add's answer for good, its run recorded and its pipeline leased.
  const run = await proxiedRun(30, /"pipeline":"food-business-licenses"/, { idleTimeoutMs: 3000 });
  await until(() => run.proxy.silenced > 0, 30_000, { what: 'the extract job added' });
  const ended = await Promise.race([run.outcome, sleep(60_000).then(() => 'still waiting' as const)]);
  expect(ended).toMatchObject({
    code: 'LB_QUEUE_UNREACHABLE',
    message: expect.stringContaining('run: queuing its extract job got no answer from Redis'),
  });
  const ledger = await openLedger(run.config.ledger.url, { logger: quiet });
  try {
    expect((await ledger.lastRun(PIPELINE))?.state).toBe('failed');
  } finally {
    await ledger.close();
  }
  await until(() => run.proxy.open === 0, 5_000).catch(() => undefined);
  expect(run.proxy.open).toBe(0);
}, 120_000);
