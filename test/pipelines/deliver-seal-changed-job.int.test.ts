/**
 * A deliver job on its last attempt, holding versions the pipeline's seal signed before the
 * pipeline's seal changed (its signer's `sealId` edited in the config, workers restarted) and one
 * version each the new seal has not signed yet. Before, the stage threw for the whole wave and the
 * job dead-lettered every license it held with that one version's lack. Now the versions signed by
 * the current seal go, and each one it has not signed stays `pending` for the sign stage, a dead
 * letter neither when the rest is delivered nor when the rest fails past its attempts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { DELIVER_BACKOFF } from '../../pipelines/delivery-policy.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

const RUN = 'seal-changed-run';
const NEW_SEAL = '3702110000009';

let fx: DeliveriesWaiting;
let rt: Runtime | undefined;
let ledger: Ledger;
let deliver: Queue;
let workers: WorkerSet | undefined;
/** Licenses the platform fails (retryably) on every send. */
const down = new Set<string>();

const province: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> =>
    items.map((i) =>
      down.has(i.licenseId)
        ? { key: i.key, state: 'failed', retryable: true, reasons: ['platform: HTTP 502 Bad Gateway'] }
        : { key: i.key, state: 'accepted', platformId: `P-${i.key}` },
    ),
  close: async () => undefined,
};

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 6, runId: RUN });
  deliver = fx.deliver;
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await rt?.close();
  await fx?.close();
});

describe("a deliver job's last attempt after the pipeline's seal changed", () => {
  it('delivers what the current seal signed and leaves each version it has not signed pending', async () => {
    const versionIds = await fx.takeOver(province);
    expect(versionIds.length).toBeGreaterThanOrEqual(4);
    const [a, b, c, d] = versionIds as [number, number, number, number];
    // The signer's seal id changed in the config; the workers restart with it.
    const yaml = await readFile(fx.ws.configFile, 'utf8');
    await writeFile(fx.ws.configFile, yaml.replace('sealId: "3702110000001"', `sealId: "${NEW_SEAL}"`));
    rt = new Runtime(await loadConfig({ file: fx.ws.configFile }), createLogger({ level: 'silent' }));
    (rt as unknown as { target: () => Promise<TargetAdapter> }).target = async () => province;
    ledger = await rt.ledger();
    // The sign stage has signed a and c with the new seal since; b and d not yet.
    const old = await ledger.getSignatures([a, c]);
    expect(old).toHaveLength(2);
    await ledger.recordSignatures(old.map((s) => ({ ...s, sealId: NEW_SEAL })));
    const [rowA, rowB, rowC, rowD] = await ledger.ensureDeliveries([a, b, c, d], 'province');
    down.add(rowC?.licenseId ?? '');

    // Two jobs, each on its last attempt: one whose signed version is accepted, one whose is not.
    const last = { attempts: 1, backoff: { type: DELIVER_BACKOFF, delay: 1 } };
    const landing = await deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds: [a, b] },
      last,
    );
    const failing = await deliver.add(
      'deliver',
      { pipeline: PIPELINE, runId: RUN, target: 'province', versionIds: [c, d] },
      last,
    );
    workers = startWorkers(rt, {
      connection: queueConnection(fx.config.queue.redis),
      prefix: fx.config.queue.prefix,
      queues: fx.queues,
      stages: ['deliver'],
    });
    await until(async () => {
      const counts = await deliver.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    });
    await workers.close();
    workers = undefined;

    const rows = await ledger.getDeliveries([rowA, rowB, rowC, rowD].map((r) => r?.key ?? ''));
    expect(rows.map((r) => r.state)).toEqual(['accepted', 'pending', 'dead', 'pending']);
    expect(rows[2]?.reasons?.join('; ')).toContain('HTTP 502');
    const landed = await deliver.getJob(landing.id as string);
    expect(landed?.failedReason).toBeUndefined();
    expect(landed?.returnvalue).toMatchObject({ accepted: 1, dead: 0, waiting: 0, unsigned: [rowB?.key] });
    expect((await deliver.getJob(failing.id as string))?.returnvalue).toMatchObject({ dead: 1 });
    // Still owed: the sign stage signs them with the new seal, and a sweep or the next run delivers them.
    expect(await ledger.unsignedVersionIds({ sealId: NEW_SEAL, pipeline: PIPELINE, limit: 100 })).toEqual(
      expect.arrayContaining([b, d]),
    );
  }, 60_000);
});
