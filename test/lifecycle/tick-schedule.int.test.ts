/**
 * The scheduled tick: `licbridge schedule` registers `lifecycle.schedule` on the lifecycle queue,
 * and a worker given the due job expires the day's licenses and has them signed and delivered by
 * the sign and deliver workers, as a run's versions are. A tick that stopped half-way (a crash
 * between two pages) resumes under its run and expires each license once.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { LIFECYCLE_SCHEDULER_ID, syncSchedules } from '../../pipelines/schedules.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const PATTERN = '10 0 * * *';
const FIRST_DAY = '2022-06-01';

describe('the scheduled lifecycle tick', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let queues: QueueSet;
  const savedToday = process.env.LICBRIDGE_TODAY;

  const withLedger = async <T>(work: (l: Ledger) => Promise<T>): Promise<T> => {
    const ledger = await openLedger(config.ledger.url, { logger });
    try {
      return await work(ledger);
    } finally {
      await ledger.close();
    }
  };
  const statuses = () => withLedger((l) => l.licenseStatusCounts(PIPELINE));

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 200, seed: 11 });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, `${yaml}lifecycle: { schedule: "${PATTERN}", pageSize: 7 }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province']);
    process.env.LICBRIDGE_TODAY = FIRST_DAY;
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 120_000);

  afterAll(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await queues?.close();
    await ws?.cleanup();
  });

  it('schedule registers the daily tick with lifecycle.schedule', async () => {
    const result = await syncSchedules(config, queues);
    expect(result.lifecycle?.pattern).toBe(PATTERN);
    const scheduler = await queues.lifecycle.getJobScheduler(LIFECYCLE_SCHEDULER_ID);
    expect(scheduler?.pattern).toBe(PATTERN);
  });

  it('a worker given the due job expires the day’s licenses and has them delivered', async () => {
    const before = await statuses();
    const accepted = ws.simulator.stats().accepted;
    // A year on, licenses whose date passed meanwhile are due.
    const day = addDays(FIRST_DAY, 365);
    process.env.LICBRIDGE_TODAY = day;
    const due = await withLedger((l) => l.countDueExpiries(PIPELINE, day));
    expect(due).toBeGreaterThan(7); // more than one page
    const [next] = await queues.lifecycle.getDelayed();
    expect(next).toBeDefined();
    await queues.lifecycle.promoteJobs();

    const rt = new Runtime(config, logger);
    const workers = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      stages: ['lifecycle', 'sign', 'deliver'],
    });
    try {
      const job = await queues.lifecycle.getJob(next?.id ?? '');
      const result = await new Promise<{ today: string; expired: Record<string, number> }>(
        (resolve, reject) => {
          const poll = async () => {
            const state = await job?.getState();
            if (state === 'completed') resolve((await queues.lifecycle.getJob(next?.id ?? ''))?.returnvalue);
            else if (state === 'failed') reject(new Error(`lifecycle job failed: ${job?.failedReason}`));
            else setTimeout(() => void poll(), 50);
          };
          void poll();
        },
      );
      expect(result).toEqual({ today: day, expired: { [PIPELINE]: due } });
      // The sign and deliver workers take it from there.
      const deadline = Date.now() + 60_000;
      while (ws.simulator.stats().accepted < accepted + due && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(ws.simulator.stats().accepted).toBe(accepted + due);
    } finally {
      await workers.close();
      await rt.close();
    }
    const after = await statuses();
    expect(after.expired).toBe((before.expired ?? 0) + due);
    expect(after.valid).toBe((before.valid ?? 0) - due);
  }, 120_000);

  it('a tick stopped between two pages resumes under its run and expires each license once', async () => {
    const day = addDays(FIRST_DAY, 730);
    const due = await withLedger((l) => l.countDueExpiries(PIPELINE, day));
    expect(due).toBeGreaterThan(7);
    // The crash: the tick began and committed one page, then its process died.
    const runId = `lifecycle-${day}-crashed`;
    const firstPage = await withLedger(async (l) => {
      await l.beginLifecycleTick({ pipeline: PIPELINE, day, runId });
      return l.expireDue({ pipeline: PIPELINE, today: day, runId, limit: 7 });
    });
    expect(firstPage).toHaveLength(7);

    const rt = new Runtime(config, logger);
    try {
      const result = await lifecycleTick(rt, { today: day });
      const [p] = result.pipelines;
      expect(p?.runId).toBe(runId);
      expect(p?.expired).toBe(due - 7);
    } finally {
      await rt.close();
    }
    await withLedger(async (l) => {
      expect(await l.countDueExpiries(PIPELINE, day)).toBe(0);
      const ids = await l.runVersionIds(runId);
      const versions = await l.getVersions(ids);
      // Every license expired once: no license twice in the run.
      expect(new Set(versions.map((v) => v.licenseId)).size).toBe(due);
      expect(versions.every((v) => v.operation === 'expire')).toBe(true);
      expect((await l.lifecycleWatermark(PIPELINE))?.day).toBe(day);
    });
  }, 60_000);

  it('a tick stopped on an earlier day is closed by the next day’s tick, which expires the rest', async () => {
    const day = addDays(FIRST_DAY, 1095);
    const due = await withLedger((l) => l.countDueExpiries(PIPELINE, day));
    expect(due).toBeGreaterThan(7);
    const runId = `lifecycle-${day}-crashed`;
    await withLedger(async (l) => {
      await l.beginLifecycleTick({ pipeline: PIPELINE, day, runId });
      await l.expireDue({ pipeline: PIPELINE, today: day, runId, limit: 7 });
    });
    const next = addDays(day, 1);
    const dueNext = await withLedger((l) => l.countDueExpiries(PIPELINE, next));
    const rt = new Runtime(config, logger);
    try {
      const [p] = (await lifecycleTick(rt, { today: next })).pipelines;
      expect(p?.runId).not.toBe(runId);
      expect(p?.expired).toBe(dueNext);
    } finally {
      await rt.close();
    }
    await withLedger(async (l) => {
      // The crashed run is extracted: it completes once its versions are delivered.
      expect((await l.getRun(runId))?.extractedAt).toBeTruthy();
      expect((await l.lifecycleWatermark(PIPELINE))?.day).toBe(next);
      expect(await l.countDueExpiries(PIPELINE, next)).toBe(0);
    });
  }, 60_000);
});
