/**
 * A deliver job needs its target, the ledger and the pipeline's config; a sign job its signer and
 * the ledger: neither needs the pipeline's source, catalog or mapping. Both opened the whole
 * pipeline all the same (the source's connection, the signer, the compiled mapping, every
 * target), so a legacy database down for maintenance, or a host that works only those stages,
 * failed every deliver and sign job though each version was in the ledger: the platform got
 * nothing until the source came back.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const RUN = 'source-away-run';
const NEW_SEAL = '3702110000009';

let fx: DeliveriesWaiting;
let rt: Runtime | undefined;
let ledger: Ledger;

const province: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> =>
    items.map((i) => ({ key: i.key, state: 'accepted', platformId: `P-${i.key}` })),
  close: async () => undefined,
};

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 4, runId: RUN });
}, 60_000);

afterAll(async () => {
  await rt?.close();
  await fx?.close();
});

describe('a deliver job while the pipeline’s source is away', () => {
  it('delivers the signed versions without opening the source', async () => {
    const versionIds = await fx.takeOver(province);
    // The legacy database is gone (a maintenance window, a host that only delivers), and the
    // deliver worker is another process's: nothing of the pipeline is open in it yet.
    await rename(fx.ws.legacyDb, `${fx.ws.legacyDb}.away`);
    rt = new Runtime(await loadConfig({ file: fx.ws.configFile }), createLogger({ level: 'silent' }));
    (rt as unknown as { target: () => Promise<TargetAdapter> }).target = async () => province;
    ledger = await rt.ledger();
    const job = await fx.deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds },
      { attempts: 1 },
    );
    const workers = startWorkers(rt, {
      connection: queueConnection(fx.config.queue.redis),
      prefix: fx.config.queue.prefix,
      queues: fx.queues,
      stages: ['deliver'],
    });
    try {
      await until(async () => {
        const counts = await fx.deliver.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        return Object.values(counts).every((n) => n === 0);
      });
    } finally {
      await workers.close();
    }
    const done = await fx.deliver.getJob(job.id as string);
    expect(done?.failedReason).toBeUndefined();
    expect(done?.returnvalue).toMatchObject({ accepted: versionIds.length });
    expect(await fx.owedToProvince()).toBe(0);
    expect(await ledger.runningRuns()).toEqual([]);
  }, 60_000);

  it('signs under a changed seal without opening the source', async () => {
    await rt?.close();
    // The signer's seal id changed: every version is owed a signature by the new seal.
    const yaml = await readFile(fx.ws.configFile, 'utf8');
    await writeFile(fx.ws.configFile, yaml.replace('sealId: "3702110000001"', `sealId: "${NEW_SEAL}"`));
    rt = new Runtime(await loadConfig({ file: fx.ws.configFile }), createLogger({ level: 'silent' }));
    ledger = await rt.ledger();
    const owed = await ledger.unsignedVersionIds({ sealId: NEW_SEAL, pipeline: PIPELINE, limit: 100 });
    expect(owed.length).toBeGreaterThan(0);
    const job = await fx.queues.sign.add(
      'sign',
      { pipeline: PIPELINE, runId: RUN, versionIds: owed },
      { attempts: 1 },
    );
    const workers = startWorkers(rt, {
      connection: queueConnection(fx.config.queue.redis),
      prefix: fx.config.queue.prefix,
      queues: fx.queues,
      stages: ['sign'],
    });
    try {
      await until(async () => {
        const counts = await fx.queues.sign.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
        return Object.values(counts).every((n) => n === 0);
      });
    } finally {
      await workers.close();
    }
    const done = await fx.queues.sign.getJob(job.id as string);
    expect(done?.failedReason).toBeUndefined();
    expect(done?.returnvalue).toMatchObject({ newlySigned: owed.length });
    expect(await ledger.unsignedVersionIds({ sealId: NEW_SEAL, pipeline: PIPELINE, limit: 100 })).toEqual([]);
  }, 60_000);
});
