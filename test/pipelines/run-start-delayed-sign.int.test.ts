/**
 * `licbridge run` starting while an earlier run left unsigned versions no job holds (a crash
 * between a page's commit and its sign job) beside a delayed sign job of the pipeline (one waiting
 * out a signing server's Retry-After or its backoff). A sweep leaves every unsigned version alone
 * while such a job waits (sweep.ts); the start must not: what it leaves is queued only by the
 * run's extraction once its last page is in, so a run whose extraction failed ended with those
 * versions in no job, unsigned until a later extraction. A run reading nothing new never ended
 * with them unsigned, before or after: its extraction's end queues them, and a run is not done
 * while its pipeline owes a signature.
 */
import Database from 'better-sqlite3';
import type { Queue } from 'bullmq';
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { createQueues, type QueueSet, type SignJobData } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { heldVersionIds } from '../../pipelines/sweep.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { until } from '../support/until.js';
import { PIPELINE, SEAL } from './sign-jobs-waiting.js';

let ws: DemoWorkspace | undefined;
let rt: Runtime | undefined;
let queues: QueueSet | undefined;

afterEach(async () => {
  await queues?.close();
  await rt?.close();
  await ws?.cleanup();
  ws = undefined;
  rt = undefined;
  queues = undefined;
});

/**
 * A workspace whose earlier run was extracted and its sign jobs lost: every version unsigned, in
 * no job. Returns the versions, the ledger and the queues.
 */
async function versionsLeftUnsigned(): Promise<{
  config: Readonly<Config>;
  ledger: Ledger;
  unsigned: number[];
}> {
  ws = await createDemoWorkspace({ rows: 6 });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  rt = new Runtime(config, pino({ level: 'silent' }));
  const q = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], rt.logger);
  queues = q;
  const ledger = await rt.ledger();
  const extractOnly = startWorkers(rt, {
    connection: queueConnection(config.queue.redis),
    prefix: config.queue.prefix,
    queues: q,
    stages: ['extract'],
  });
  try {
    await enqueueExtract(q, { pipeline: PIPELINE, runId: 'earlier-run', full: true });
    await until(async () => Boolean((await ledger.getRun('earlier-run'))?.extractedAt), 30_000);
  } finally {
    await extractOnly.close();
  }
  await q.sign.drain(true);
  const unsigned = await ledger.unsignedVersionIds({ sealId: SEAL, pipeline: PIPELINE });
  expect(unsigned).toHaveLength(6);
  return { config, ledger, unsigned };
}

/** A sign job of the pipeline holding `versionIds`, delayed `ms` (a Retry-After waited out). */
async function delayedSignJob(versionIds: number[], ms: number): Promise<void> {
  const data: SignJobData = { pipeline: PIPELINE, runId: 'earlier-run', versionIds };
  await queues?.sign.add('sign', data, { jobId: 'sign-waiting-out-retry-after', delay: ms });
}

/** The run's log lines (warn and above), and a logger writing them. */
function logLines() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return { lines, logger };
}

it('a run reading nothing new signs them without waiting for a sweep or the delayed job', async () => {
  const { config, ledger, unsigned } = await versionsLeftUnsigned();
  const [first = 0] = unsigned;
  await delayedSignJob([first], 4000);
  const { lines, logger } = logLines();
  const [summary] = await runPipelines(config, {
    pipelines: [PIPELINE],
    full: false,
    logger,
    // No sweep within the test: what is signed, the start and the extraction queued.
    sweepAfterMs: 30_000,
    pollPauseMaxMs: 200,
  });
  expect(summary).toMatchObject({ state: 'done', read: 0, created: 0 });
  expect(await ledger.unsignedVersionIds({ sealId: SEAL, pipeline: PIPELINE })).toEqual([]);
  expect(lines.filter((l) => l.msg === 'run: re-enqueued unfinished work from the ledger')).toEqual([]);
}, 90_000);

it('a run whose extraction fails leaves none of them in no job', async () => {
  const { config, ledger, unsigned } = await versionsLeftUnsigned();
  const [first = 0] = unsigned;
  // Waiting past the run: its versions stay unsigned, held by it.
  await delayedSignJob([first], 600_000);
  // The source's table gone: the run's extraction fails, its end never reached.
  const legacy = new Database(ws?.legacyDb ?? '');
  legacy.exec('DROP TABLE T_SPXK_XKZ');
  legacy.close();
  const [summary] = await runPipelines(config, {
    pipelines: [PIPELINE],
    full: false,
    logger: pino({ level: 'silent' }),
    pollPauseMaxMs: 200,
  });
  expect(summary).toMatchObject({
    state: 'failed',
    error: expect.stringContaining('extract: source market-food: table'),
  });
  const left = await ledger.unsignedVersionIds({ sealId: SEAL, pipeline: PIPELINE });
  const held = await heldVersionIds(queues?.sign as Queue, PIPELINE, left);
  // Signed, or held by a job a worker or the next run's sweep finishes: none left in no job.
  expect(left.filter((id) => !held.has(id))).toEqual([]);
}, 90_000);
