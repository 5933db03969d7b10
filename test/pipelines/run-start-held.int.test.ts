/**
 * What `licbridge run` queues as it starts, of what earlier runs of its pipelines left
 * (run-pipelines.ts, `recoverPipeline`): only what no unfinished job of the pipeline holds. Jobs
 * an earlier run left queued (a `licbridge worker` not running yet, a run ended `in-review` whose
 * deliver jobs keep asking the platform, a sign job waiting out a signing server's Retry-After)
 * still do their work. Before, the start queued every unsigned version and every version owed to
 * a target again beside them: two jobs for each version, a signing server in maintenance asked
 * again at once (and for each version twice when both jobs ran at the same time), each delivery
 * under review asked about by two chains of status requests.
 */
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { DeliverJobData, SignJobData } from '../../pipelines/queues.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { BACKENDS, type TestDatabase } from '../ledger/backends.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';
import { type SignJobsWaiting, signJobsWaiting } from './sign-jobs-waiting.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });

/** The version ids the jobs hold, one entry per job that holds it. */
function heldIds(jobs: Job<SignJobData | DeliverJobData>[]): number[] {
  return jobs.flatMap((j) => j.data.versionIds).sort((a, b) => a - b);
}

/**
 * A run of the pipeline started with no workers in this process, stopped at its first poll: by
 * then it has queued what it recovers. The run's extract job, queued too, is not worked.
 */
async function startedRun(config: Parameters<typeof runPipelines>[0]): Promise<void> {
  const stop = new AbortController();
  const run = runPipelines(config, {
    pipelines: [PIPELINE],
    full: false,
    logger,
    workInProcess: false,
    onProgress: () => stop.abort('SIGTERM'),
    stop: stop.signal,
  });
  await expect(run).rejects.toBeInstanceOf(RunStopped);
}

describe.each(BACKENDS)('licbridge run starting beside jobs an earlier run left ($name)', (backend) => {
  let database: TestDatabase | undefined;
  let delivering: DeliveriesWaiting | undefined;
  afterEach(async () => {
    await delivering?.close();
    await database?.dispose();
    delivering = undefined;
    database = undefined;
  });

  it('queues no second deliver job for versions a waiting one holds', async () => {
    database = await backend.create();
    delivering = await deliveriesWaiting({ rows: 6, runId: 'held-deliver-run', ledgerUrl: database.url });
    const { config, deliver } = delivering;
    const owed = await delivering.owedToProvince();
    const before = heldIds(await deliver.getWaiting());
    expect(owed).toBeGreaterThan(0);
    expect(before).toHaveLength(owed);

    await startedRun(config);
    expect(heldIds(await deliver.getWaiting())).toEqual(before);

    // Lost meanwhile (a Redis restarted without persistence): the next start queues each once.
    await delivering.loseJobs();
    await startedRun(config);
    expect(heldIds(await deliver.getWaiting())).toEqual(before);
  }, 90_000);
});

describe('licbridge run starting beside a sign job an earlier run left', () => {
  let signing: SignJobsWaiting | undefined;
  afterEach(async () => {
    await signing?.close();
    signing = undefined;
  });

  it('queues no second sign job for versions a waiting one holds', async () => {
    signing = await signJobsWaiting({
      runId: 'held-sign-run',
      busy: { busyMs: 60_000, retryAfterSeconds: 1 },
    });
    const { config, queues } = signing;
    const waiting = () => queues.sign.getWaiting() as Promise<Job<SignJobData>[]>;
    const before = heldIds(await waiting());
    expect(before.length).toBeGreaterThan(0);

    await startedRun(config);
    expect(heldIds(await waiting())).toEqual(before);
    expect(signing.busy.refused).toHaveLength(0);

    await signing.takeQueued();
    await startedRun(config);
    expect(heldIds(await waiting())).toEqual(before);
  }, 90_000);
});
