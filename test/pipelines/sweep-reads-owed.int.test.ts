/**
 * A sweep of `licbridge run` comes after a poll that read the pipeline's backlog, once the run's
 * own work was done: while a platform reviews the last deliveries, a sweep is due every
 * `sweepAfterMs` for as long as `reviewWaitMs` (10 minutes by default). Each asked the ledger
 * again for every unsigned version, and for the versions owed to every target, though the backlog
 * just read showed none unsigned and nothing owed to the targets done. Those reads are now left
 * out; what a sweep queues is unchanged: a job lost meanwhile is queued again, once.
 */
import { writeFile } from 'node:fs/promises';
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import { createLogger } from '../../core/logger.js';
import { KnexLedger } from '../../ledger/knex-ledger.js';
import type { Ledger, PipelineBacklog } from '../../ledger/ledger.js';
import type { DeliverJobData } from '../../pipelines/queues.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { sweep } from '../../pipelines/run-recovery.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const READS = ['unsignedVersionIds', 'undeliveredVersionIds'] as const;

/** The runtime's ledger, counting the reads a sweep makes of what is owed. */
function watchReads(delivering: DeliveriesWaiting, ledger: Ledger): Record<string, number> {
  const reads: Record<string, number> = { unsignedVersionIds: 0, undeliveredVersionIds: 0 };
  const watched = new Proxy(ledger, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      if (!(READS as readonly (string | symbol)[]).includes(name)) return value.bind(target);
      return (...args: unknown[]) => {
        reads[name as string] = (reads[name as string] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  });
  (delivering.rt as unknown as { ledger: () => Promise<Ledger> }).ledger = async () => watched;
  return reads;
}

function heldIds(jobs: Job<DeliverJobData>[]): number[] {
  return jobs.flatMap((j) => j.data.versionIds).sort((a, b) => a - b);
}

describe('a sweep after a poll that read the backlog', () => {
  let delivering: DeliveriesWaiting | undefined;
  afterEach(async () => {
    await delivering?.close();
    delivering = undefined;
  });

  it('reads again only what the backlog shows owed, and still queues a lost job once', async () => {
    const runId = 'sweep-reads-run';
    delivering = await deliveriesWaiting({ rows: 6, runId });
    const { rt, queues, deliver, config } = delivering;
    const ledger = await rt.ledger();
    const p = rt.pipelineConfig(PIPELINE);
    const backlog = (): Promise<PipelineBacklog> =>
      ledger.pipelineBacklog(PIPELINE, sealIdOf(config, p), p.targets);
    const runs = [{ pipeline: PIPELINE, runId }];
    const reads = watchReads(delivering, ledger);
    const before = heldIds(await deliver.getWaiting());
    const owed = await backlog();
    expect(owed.unsigned).toBe(0);
    expect(owed.undelivered.province).toBe(before.length);

    expect(await sweep(rt, ledger, queues, runs, 'sweep1', [owed])).toBe(0);
    expect(reads).toEqual({ unsignedVersionIds: 0, undeliveredVersionIds: 1 });

    // Lost with Redis: queued again, each version once, as without the backlog.
    await delivering.loseJobs();
    expect(await sweep(rt, ledger, queues, runs, 'sweep2', [await backlog()])).toBeGreaterThan(0);
    expect(heldIds(await deliver.getWaiting())).toEqual(before);

    // Delivered: the backlog owes nothing, and the sweep reads nothing of it again.
    const workers = delivering.start(['deliver']);
    try {
      await until(async () => (await delivering?.owedToProvince()) === 0, 30_000);
    } finally {
      await workers.close();
    }
    const done = await backlog();
    expect(done).toEqual({ unsigned: 0, undelivered: { province: 0 } });
    expect(await sweep(rt, ledger, queues, runs, 'sweep3', [done])).toBe(0);
    expect(reads).toEqual({ unsignedVersionIds: 0, undeliveredVersionIds: 2 });
  }, 90_000);
});

describe('the sweeps of a licbridge run waiting for a platform to review', () => {
  let ws: DemoWorkspace | undefined;
  let platform: ProvinceSimulator | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await platform?.close();
    await ws?.cleanup();
  });

  it('are given the poll backlog: none reads the unsigned versions again', async () => {
    ws = await createDemoWorkspace({ rows: 6 });
    // Every send answered `submitted`, and no verdict ever: the run ends `in-review`, sweeping.
    platform = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      review: { polls: 1_000_000 },
    });
    await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: platform.url }));
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const unsigned = vi.spyOn(KnexLedger.prototype, 'unsignedVersionIds');
    const undelivered = vi.spyOn(KnexLedger.prototype, 'undeliveredVersionIds');
    const backlogs = vi.spyOn(KnexLedger.prototype, 'pipelineBacklog');
    const [s] = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: false,
      logger: createLogger({ level: 'silent' }),
      sweepAfterMs: 200,
      pollPauseMaxMs: 100,
      reviewWaitMs: 4000,
    });
    expect(s).toMatchObject({ created: 6, inReview: { province: 6 } });
    // A sweep while the run's own work was not done yet (a loaded machine's slow signing, say) had
    // no backlog and read the unsigned versions, as it must: the run's jobs may have been lost.
    // The sweeps after the first poll that found only reviews left were each given its backlog.
    const reviewsLeft = await firstReviewsOnlyRead(backlogs);
    const since = (spy: { mock: { invocationCallOrder: number[] } }) =>
      spy.mock.invocationCallOrder.filter((order) => order > reviewsLeft).length;
    // Each of those sweeps read what the province is still owed (in review)…
    expect(since(undelivered)).toBeGreaterThanOrEqual(2);
    // …and none read the unsigned versions again: only the extraction's end did, or a sweep before.
    expect(since(unsigned)).toBe(0);
    expect(unsigned).toHaveBeenCalled();
  }, 90_000);
});

/** When (vitest's call order) a poll of the run first read a backlog owing only what is in review. */
async function firstReviewsOnlyRead(backlogs: {
  mock: { invocationCallOrder: number[]; results: { value: unknown }[] };
}): Promise<number> {
  for (const [i, result] of backlogs.mock.results.entries()) {
    const b = (await result.value) as PipelineBacklog;
    const order = backlogs.mock.invocationCallOrder[i];
    if (order !== undefined && b.unsigned === 0 && (b.inReview?.province ?? 0) > 0) return order;
  }
  throw new Error('no poll read a backlog owing only reviews');
}
