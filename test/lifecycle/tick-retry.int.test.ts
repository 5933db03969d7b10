/**
 * A scheduled tick whose process died after the day's watermark was written — the expiries are in
 * the ledger, not one of them enqueued — is retried on the same day: the retry finds the day
 * ticked (`done-today`) and still enqueues what the ledger owes, so the day's `expire` versions are
 * signed and delivered. (A real SIGKILL at that point, through the command: tick-crash.e2e.test.ts.)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { lifecycleJob } from '../../pipelines/lifecycle/tick-job.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const FIRST_DAY = '2022-06-01';

describe('a scheduled tick retried on the same day', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let queues: QueueSet;
  const savedToday = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 11 });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, `${yaml}lifecycle: { pageSize: 7 }\n`);
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

  it('enqueues the expiries of a tick that died after its watermark, and they are delivered', async () => {
    const day = addDays(FIRST_DAY, 365);
    process.env.LICBRIDGE_TODAY = day;
    const rt = new Runtime(config, logger);
    const accepted = ws.simulator.stats().accepted;
    try {
      // The first attempt: the tick recorded the day's expiries and its watermark, then died.
      const [first] = (await lifecycleTick(rt, { pipelines: [PIPELINE] })).pipelines;
      expect(first?.outcome).toBe('ticked');
      const due = first?.expired ?? 0;
      expect(due).toBeGreaterThan(0);
      const ledger = await rt.ledger();
      expect((await ledger.lifecycleWatermark(PIPELINE))?.day).toBe(day);

      // The retry on the same day, with the sign and deliver workers running.
      const workers = startWorkers(rt, {
        connection: queueConnection(config.queue.redis),
        prefix: config.queue.prefix,
        queues,
        stages: ['sign', 'deliver'],
      });
      try {
        const result = await lifecycleJob(rt, queues, 'retry-1');
        expect(result.today).toBe(day);
        const deadline = Date.now() + 30_000;
        while (ws.simulator.stats().accepted < accepted + due && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(ws.simulator.stats().accepted).toBe(accepted + due);
      } finally {
        await workers.close();
      }
      // Nothing was expired twice: one expire version per license.
      const runId = (await ledger.lifecycleWatermark(PIPELINE))?.runId ?? '';
      const versions = await ledger.getVersions(await ledger.runVersionIds(runId));
      expect(versions).toHaveLength(due);
      expect(new Set(versions.map((v) => v.licenseId)).size).toBe(due);
    } finally {
      await rt.close();
    }
  }, 90_000);
});
