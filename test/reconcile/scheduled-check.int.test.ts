import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { RECONCILE_SCHEDULER_PREFIX, syncSchedules } from '../../pipelines/schedules.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const PATTERN = '30 1 * * *';

describe('reconcile: a light check after each run, a full check on its own schedule', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let queues: QueueSet;

  beforeAll(async () => {
    // 100 rows of seed 5: two that do not map (the quarantined rows the light check must explain)
    // and licenses over most of the 32 buckets, as 200 rows gave, in half the run.
    ws = await createDemoWorkspace({ rows: 100, seed: 5 });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, `${yaml}reconcile: { buckets: 32, schedule: "${PATTERN}" }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, []);
  }, 60_000);
  afterAll(async () => {
    await queues?.close();
    // cleanup obliterates the workspace's unique queue prefix.
    await ws?.cleanup();
  });

  const licensedKey = async (): Promise<string> => {
    const ledger = await openLedger(config.ledger.url);
    try {
      const [id] = await ledger.unsignedVersionIds({ sealId: 'none', pipeline: PIPELINE, limit: 1 });
      const [v] = await ledger.getVersions([id as number]);
      if (!v) throw new Error('no licensed row');
      return v.lineage.sourceKey;
    } finally {
      await ledger.close();
    }
  };

  const reports = async (mode: string) => {
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      return (await ledger.getReports({ pipeline: PIPELINE, limit: 100 })).filter((r) => r.mode === mode);
    } finally {
      await rt.close();
    }
  };

  it('a run ends with the light check: its result in the summary, its report in the ledger', async () => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    const check = s?.check;
    if (!check || !('reportId' in check))
      throw new Error(`no light check in the summary: ${JSON.stringify(check)}`);
    // Rows that do not map are the whole gap right after a run.
    expect(check.sourceKeys).toBe(s.read);
    expect(check.ledgerLicenses).toBe(s.created);
    expect(s.quarantined).toBeGreaterThan(0);
    expect(check.quarantined).toBe(s.quarantined);
    // Quarantined rows are explained, not missing: right after a run nothing is apart.
    expect(check.differences).toBe(0);
    const stored = await reports('light');
    expect(stored.map((r) => r.reportId)).toContain(check.reportId);
  }, 30_000);

  it('schedule registers one full check per pipeline and removes stale ones', async () => {
    await queues.reconcile.upsertJobScheduler(
      `${RECONCILE_SCHEDULER_PREFIX}gone`,
      { pattern: '0 3 * * *' },
      { name: 'reconcile', data: { pipeline: 'gone' } },
    );
    const result = await syncSchedules(config, queues);
    expect(result.checks.map((c) => c.pipeline)).toEqual([PIPELINE]);
    expect(result.removed).toContain(`${RECONCILE_SCHEDULER_PREFIX}gone`);

    const scheduler = await queues.reconcile.getJobScheduler(`${RECONCILE_SCHEDULER_PREFIX}${PIPELINE}`);
    expect(scheduler?.pattern).toBe(PATTERN);
    expect(scheduler?.template?.data).toEqual({ pipeline: PIPELINE });
    const ids = (await queues.reconcile.getJobSchedulers(0, -1)).map((s) => s.key);
    expect(ids).toEqual([`${RECONCILE_SCHEDULER_PREFIX}${PIPELINE}`]);
  });

  it('a worker given the due job runs the full check and stores its report in the ledger', async () => {
    const before = (await reports('full')).length;
    // The scheduler's next job waits until 01:30; promoting it makes it due now.
    const [next] = await queues.reconcile.getDelayed();
    expect(next?.data).toEqual({ pipeline: PIPELINE });
    await queues.reconcile.promoteJobs();

    const rt = new Runtime(config, logger);
    const connection = queueConnection(config.queue.redis);
    const workers = startWorkers(rt, {
      connection,
      prefix: config.queue.prefix,
      queues,
      stages: ['reconcile'],
    });
    try {
      const job = await queues.reconcile.getJob(next?.id ?? '');
      const result = await new Promise<{ reportId: string; differences: number }>((resolve, reject) => {
        const poll = async () => {
          const state = await job?.getState();
          if (state === 'completed') {
            const done = await queues.reconcile.getJob(next?.id ?? '');
            resolve(done?.returnvalue as { reportId: string; differences: number });
          } else if (state === 'failed') reject(new Error(`reconcile job failed: ${job?.failedReason}`));
          else setTimeout(() => void poll(), 50);
        };
        void poll();
      });
      const full = await reports('full');
      expect(full.length).toBe(before + 1);
      expect(full[0]?.reportId).toBe(result.reportId);
      expect(full[0]?.differences).toBe(result.differences);
      expect(result.differences).toBe(0);
    } finally {
      await workers.close();
      await rt.close();
    }
  }, 30_000);
  it('the light check after a run shows a row deleted at the source as a gap', async () => {
    const db = new Database(ws.legacyDb);
    try {
      // A licensed row (status 1 with a valid credit code is licensed in this seed) disappears.
      const licensed = await licensedKey();
      db.prepare('DELETE FROM T_SPXK_XKZ WHERE ID = ?').run(Number(licensed));
    } finally {
      db.close();
    }
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    const check = s?.check;
    if (!check || !('reportId' in check))
      throw new Error(`no light check in the summary: ${JSON.stringify(check)}`);
    expect(check.differences).toBe(1);
  });
});
