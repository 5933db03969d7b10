/**
 * The dashboard cannot drop work the ledger still owes. Deliver jobs that wait for a deliver worker
 * hold signed versions not yet sent; removed, nothing a `licbridge worker` does on its own queues
 * them again. So emptying or obliterating a queue, cleaning unfinished jobs, removing an unfinished
 * job, moving a delayed job's time and removing or rewriting a schedule are refused with a message
 * that names what to do instead — and once a deliver worker comes, every version is delivered.
 * Pausing (which `licbridge status` reports), promoting and removing finished jobs still work.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { type OpsServer, startOpsServer } from '../../pipelines/observability/server.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { syncSchedules } from '../../pipelines/schedules.js';
import { recoverPipeline } from '../../pipelines/sweep.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const TOKEN = 'drops-bearer-token-4q9w';
const BEARER = { authorization: `Bearer ${TOKEN}` };
const PIPELINE = 'food-business-licenses';

let ws: DemoWorkspace;
let config: Readonly<Config>;
let server: OpsServer;
let rt: Runtime;
let queues: QueueSet;
let deliver: Queue;
/** Versions signed and owed to the province once the run has signed them. */
let owed = 0;

async function send(path: string, method = 'PUT', body: unknown = {}) {
  const res = await fetch(`${server.url}/dashboard/api/queues/${path}`, {
    method,
    headers: { ...BEARER, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** What the ledger still owes the province. */
async function owedToProvince(): Promise<number> {
  const ledger = await rt.ledger();
  const p = rt.pipelineConfig(PIPELINE);
  return (await ledger.pipelineBacklog(PIPELINE, sealIdOf(config, p), p.targets)).undelivered.province ?? 0;
}

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 4 });
  const file = join(ws.dir, 'serve-drops.yaml');
  await writeFile(
    file,
    `${demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })}serve: { port: 0, auth: { token: ${TOKEN} } }\nmetrics: { lagIntervalMs: 0 }\n`,
  );
  config = await loadConfig({ file });
  const logger = createLogger({ level: 'silent' });
  server = await startOpsServer(config, logger);
  rt = new Runtime(config, logger);
  queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], logger);
  deliver = queues.deliver.get('province') as Queue;
  await syncSchedules(config, queues);

  // A worker deployment without a deliver worker yet: the run extracts and signs, and its deliver
  // jobs wait in the queue while the ledger owes every version to the province.
  const workers = startWorkers(rt, {
    connection: queueConnection(config.queue.redis),
    prefix: config.queue.prefix,
    queues,
    stages: ['extract', 'sign'],
  });
  try {
    await enqueueExtract(queues, { pipeline: PIPELINE, runId: 'drops-run', full: true });
    // Extracted and signed: the extract job and its sign job are done, the deliver job waits.
    await until(async () => (await queues.sign.getCompletedCount()) > 0);
    owed = await owedToProvince();
  } finally {
    await workers.close();
  }
  // One deferred deliver job, as the deliver worker leaves one that waits for an earlier version.
  await deliver.add(
    'deliver',
    { pipeline: PIPELINE, runId: 'drops-run', target: 'province', versionIds: [1] },
    {
      jobId: 'deferred-1',
      delay: 3_600_000,
    },
  );
}, 60_000);

afterAll(async () => {
  await server?.close();
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
});

describe('the dashboard cannot drop work the ledger owes', () => {
  it('refuses every action that removes unfinished jobs or schedules, and the jobs stay', async () => {
    const before = await deliver.getJobCounts('waiting', 'delayed');
    expect(before.waiting).toBeGreaterThan(0);
    expect(before.delayed).toBe(1);
    expect(owed).toBeGreaterThan(0);
    const [waitingJob] = await deliver.getWaiting(0, 0);
    // The daily full check and lifecycle tick `licbridge schedule` installed.
    const schedulers = await queues.reconcile.getJobSchedulers(0, -1, true);
    const ticks = await queues.lifecycle.getJobSchedulers(0, -1, true);
    expect(schedulers.length).toBe(1);
    expect(ticks.length).toBe(1);
    const scheduler = String(schedulers[0]?.key);

    const run = 'licbridge run';
    const schedule = 'licbridge schedule';
    // Each refusal names what to do instead.
    const refused: [path: string, method: string, instead: string, body?: unknown][] = [
      ['deliver-province/empty', 'PUT', run],
      ['deliver-province/obliterate', 'PUT', run],
      ['deliver-province/clean/wait', 'PUT', run],
      ['deliver-province/clean/waiting', 'PUT', run],
      ['deliver-province/clean/delayed', 'PUT', run],
      ['deliver-province/clean/paused', 'PUT', run],
      ['deliver-province/clean/prioritized', 'PUT', run],
      ['deliver-province/clean/active', 'PUT', run],
      [`deliver-province/${waitingJob?.id}/clean`, 'PUT', run],
      ['deliver-province/deferred-1/clean', 'PUT', run],
      ['deliver-province/deferred-1/delay', 'PATCH', 'promote', { delay: 10 * 365 * 86_400_000 }],
      ['extract/empty', 'PUT', run],
      ['lifecycle/obliterate', 'PUT', run],
      ['lifecycle/clean/delayed', 'PUT', run],
      ['reconcile/empty', 'PUT', run],
      [`reconcile/job-schedulers/${scheduler}/remove`, 'PUT', schedule],
      [`reconcile/job-schedulers/${scheduler}`, 'PATCH', schedule, { pattern: '0 0 1 1 *' }],
      ['deliver-province/concurrency', 'PUT', 'targets.<name>.concurrency', { concurrency: 1 }],
      ['deliver-province/rate-limit', 'PUT', 'targets.<name>.rateLimit', { max: 1, duration: 86_400_000 }],
      ['deliver-province/rate-limit/release', 'PUT', 'Retry-After'],
    ];
    for (const [path, method, instead, body] of refused) {
      const answer = await send(path, method, body);
      expect(answer.status, path).toBe(403);
      expect(answer.text, path).toContain('dashboard: refused');
      expect(answer.text, path).toContain(instead);
    }
    expect(await deliver.getJobCounts('waiting', 'delayed')).toEqual(before);
    expect((await deliver.getJob('deferred-1'))?.delay).toBe(3_600_000);
    expect(await queues.reconcile.getJobSchedulers(0, -1, true)).toEqual(schedulers);
    expect(await queues.lifecycle.getJobSchedulers(0, -1, true)).toEqual(ticks);
    expect(await deliver.getGlobalConcurrency()).toBeNull();
    expect(await deliver.getGlobalRateLimit()).toBeNull();
    expect(await owedToProvince()).toBe(owed);
  });

  it('still pauses, promotes and removes finished jobs', async () => {
    expect((await send('deliver-province/pause')).status).toBeLessThan(300);
    expect(await deliver.isPaused()).toBe(true);
    try {
      // `licbridge status` says the queue is paused and what the ledger still owes its target.
      const status = await collectStatus(config, await rt.ledger(), queues, { probeSources: false });
      expect(status.attention).toContainEqual(
        expect.stringMatching(
          /^queue deliver-province: paused with \d+ waiting, 1 delayed job\(s\); .*resumed/,
        ),
      );
      expect(status.pipelines.find((p) => p.pipeline === PIPELINE)?.awaitingDelivery).toEqual({
        province: owed,
      });
    } finally {
      expect((await send('deliver-province/resume')).status).toBeLessThan(300);
    }
    expect((await send('deliver-province/deferred-1/promote')).status).toBeLessThan(300);
    expect(await deliver.getJobState('deferred-1')).toBe('waiting');
    expect((await send('deliver-province/clean/completed')).status).toBeLessThan(300);
    expect((await send('deliver-province/clean/failed')).status).toBeLessThan(300);
  });

  it('names in status the deliveries owed that no job holds, as when Redis lost the jobs', async () => {
    const owing =
      /^pipeline food-business-licenses: \d+ signed version\(s\) owed to province and no job holds them.*`licbridge run food-business-licenses`/;
    const look = async () =>
      (await collectStatus(config, await rt.ledger(), queues, { probeSources: false })).attention;
    // While deliver jobs hold the work, nothing is said.
    expect((await look()).filter((m) => owing.test(m))).toEqual([]);
    // Lost the way the board can no longer lose them: a Redis restarted without persistence, say.
    await deliver.obliterate({ force: true });
    expect((await look()).filter((m) => owing.test(m))).toHaveLength(1);
    // What `licbridge run` does for a pipeline that owes: queued again from the ledger.
    expect(await recoverPipeline(rt, queues, PIPELINE, 'drops-recover', 'drops-recover')).toBeGreaterThan(0);
    expect((await look()).filter((m) => owing.test(m))).toEqual([]);
  });

  it('leaves the work for the deliver worker, which delivers every owed version', async () => {
    const workers = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      stages: ['deliver'],
    });
    try {
      await until(async () => (await owedToProvince()) === 0);
    } finally {
      await workers.close();
    }
    expect(await owedToProvince()).toBe(0);
  }, 60_000);
});
