/**
 * A poison deliver job dies after its claim: the send comes after it, so the job's deliveries are
 * leased to its take when its worker dies, for the whole send's lease (25 s for one batch by
 * default), longer than a stall takes to be noticed. Given up, the job dead-lettered none of them
 * (a dead letter is written only over no live lease): all stayed `pending`, its run stayed open,
 * and once the leases ran out the next run queued the job again. Its own takes' leases are the dead
 * sender's now: dead-lettered, that send counted so that a replay asks first; a delivery the
 * platform reviews (`submitted`) is dead-lettered too; one another live job holds is left to it.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { replayDeadLetters } from '../../pipelines/dead-letters.js';
import { configuredTarget } from '../../pipelines/jobs.js';
import { deliverQueueName } from '../../pipelines/queues.js';
import { sendLeaseMs } from '../../pipelines/stages/delivery-lease.js';
import { deliverSender } from '../../pipelines/workers/stalled-out.js';
import { stalledWorker } from '../support/stalled-worker.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const quiet = createLogger({ level: 'silent' });

describe('a poison deliver job that dies holding the leases of its deliveries', () => {
  const stalled = stalledWorker();

  afterEach(() => stalled.close());

  it('dead-letters its leased and submitted deliveries, a replay asking first; leaves another live job its own', async () => {
    const { ws, rt, queues } = await stalled.setUp(5);
    const deliver = queues.deliver.get('province');
    if (!deliver) throw new Error('no deliver queue');
    const ledger = await rt.ledger();

    const runId = await stalled.runToDeliver(PIPELINE);
    const { copyId, data } = await stalled.queueStalledCopy();
    const versionIds = data.versionIds;
    expect(versionIds.length).toBeGreaterThan(2);

    // One delivery under the platform's review; the rest but one claimed by the take that dies, with the
    // lease its send takes; one held by another job, alive.
    const rows = await ledger.ensureDeliveries(versionIds, 'province');
    const keys = rows.map((r) => r.key);
    const [review] = keys;
    const elsewhere = keys.at(-1);
    const leased = keys.slice(1, -1);
    if (!review || !elsewhere) throw new Error('deliveries expected');
    expect(
      await ledger.recordDeliveryOutcomes([{ key: review, state: 'submitted', platformId: 'p-1' }]),
    ).toEqual([review]);
    const leaseMs = sendLeaseMs(configuredTarget(rt.config, 'province'), versionIds.length);
    const taken = await stalled.takeAndDie(deliverQueueName('province'));
    expect(taken?.id).toBe(copyId);
    expect(taken?.attemptsStarted).toBe(1);
    expect(await ledger.claimDeliveries(leased, deliverSender(copyId, 1), leaseMs)).toHaveLength(
      leased.length,
    );
    const other = `${randomUUID()}#1`;
    expect(await ledger.claimDeliveries([elsewhere], other, leaseMs)).toEqual([elsewhere]);

    stalled.live(['deliver']);
    try {
      await until(async () => {
        if ((await deliver.getJobState(copyId)) !== 'failed') return false;
        const states = await ledger.getDeliveries([review, ...leased]);
        return states.every((s) => s.state === 'dead');
      });
    } finally {
      await stalled.closeWorkers();
    }

    const after = new Map((await ledger.getDeliveries(rows.map((r) => r.key))).map((r) => [r.key, r]));
    expect(keys.map((k) => after.get(k)?.state)).toEqual([...leased.map(() => 'dead'), 'dead', 'pending']);
    // The dead take's send counted beside the dead letter's: a replay asks before it sends.
    for (const k of [review, ...leased]) expect(after.get(k)?.attempts).toBeGreaterThan(1);
    expect(after.get(leased[0] ?? '')?.reasons?.[0]).toMatch(
      new RegExp(
        `^deliver-province: job ${copyId} stalled out 2 times: .*; its deliveries are dead-lettered`,
      ),
    );
    expect(after.get(review)?.reasons?.[0]).toMatch(/under the platform's review \(submitted\)/);
    // Still held by the live job: it is that job's to send, and the run waits for it.
    expect(await ledger.claimDeliveries([elsewhere], randomUUID(), leaseMs)).toEqual([]);
    expect((await ledger.getRun(runId))?.state).not.toBe('failed');

    const dead = [review, ...leased];
    const replay = await replayDeadLetters(rt.config, { keys: dead, logger: quiet });
    expect(replay.replayed).toHaveLength(dead.length);
    expect(replay.outcomes.map((o) => o.state)).toEqual(dead.map(() => 'accepted'));
    expect(ws.simulator.stats().received).toBe(dead.length);
  }, 90_000);
});
