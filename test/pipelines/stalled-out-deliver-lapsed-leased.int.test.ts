/**
 * A poison deliver job given up counts each of its deliveries on its error line: open, leased (to
 * one of its own takes), submitted, left. A row its dead take claimed is leased to that take only
 * while the lease lasts: given up after the lease ran out (the stall noticed late, or the send's
 * lease short), the row was read as held by nobody, found no owner among the job's takes, and was
 * counted `open`, though that take may have sent it. A run-out lease now tells its own sender
 * (ledger/delivery-lease-state.ts `leaseLapsedOwn`); another dead job's run-out lease stays open.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configuredTarget } from '../../pipelines/jobs.js';
import { deliverQueueName } from '../../pipelines/queues.js';
import { Runtime } from '../../pipelines/runtime.js';
import { sendLeaseMs } from '../../pipelines/stages/delivery-lease.js';
import { deliverSender } from '../../pipelines/workers/stalled-out.js';
import { ageLeases } from '../ledger/clock-skew.js';
import { lineLogger } from '../support/log-lines.js';
import { stalledWorker } from '../support/stalled-worker.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const GIVEN_UP = 'job: stalled out again; its open deliveries dead-lettered';

describe('a poison deliver job whose dead take’s leases ran out before it was given up', () => {
  const stalled = stalledWorker();

  afterEach(() => stalled.close());

  it('counts the rows of those leases as leased, not open', async () => {
    const parts = await stalled.setUp(5);
    await stalled.runToDeliver(PIPELINE);

    const { logger, lines } = lineLogger('info');
    const config = parts.rt.config;
    await parts.rt.close();
    parts.rt = new Runtime(config, logger);
    const ledger = await parts.rt.ledger();

    const { copyId, data } = await stalled.queueStalledCopy();
    const rows = await ledger.ensureDeliveries(data.versionIds, 'province');
    const keys = rows.map((r) => r.key);
    // One rejected and one pending claimed by the take that dies; one pending claimed by another
    // job that died too; the rest open and held by nobody. Every lease then run out.
    const [ownRejected, ownPending, otherPending, ...open] = keys;
    if (!ownRejected || !ownPending || !otherPending || open.length === 0)
      throw new Error('four deliveries or more expected');
    expect(
      await ledger.recordDeliveryOutcomes([
        { key: ownRejected, state: 'rejected', reasons: ['E-17: refused'] },
      ]),
    ).toEqual([ownRejected]);
    const leaseMs = sendLeaseMs(configuredTarget(config, 'province'), keys.length);
    expect((await stalled.takeAndDie(deliverQueueName('province')))?.id).toBe(copyId);
    expect(
      await ledger.claimDeliveries([ownRejected, ownPending], deliverSender(copyId, 1), leaseMs),
    ).toEqual([ownRejected, ownPending]);
    expect(await ledger.claimDeliveries([otherPending], `${randomUUID()}#1`, leaseMs)).toEqual([
      otherPending,
    ]);
    // The ledger's clock past the leases, rather than waiting for it.
    const url = `sqlite://${join(parts.ws.dir, 'data', 'ledger.db')}`;
    expect(await ageLeases(url, 'deliveries', leaseMs + 60_000, (q) => q.where('target', 'province'))).toBe(
      3,
    );
    const lapsed = await ledger.getDeliveries([ownPending, otherPending]);
    expect(lapsed.map((r) => [r.state, r.leaseLapsed, r.attempts])).toEqual([
      ['pending', true, 0],
      ['pending', true, 0],
    ]);

    stalled.live(['deliver']);
    const said = () =>
      lines
        .map((l) => JSON.parse(l) as { msg: string; jobId?: string; [k: string]: unknown })
        .filter((r) => r.jobId === copyId && r.msg.startsWith('job: stalled out again'));
    try {
      await until(async () => said().length > 0);
    } finally {
      await stalled.closeWorkers();
    }

    const [line, ...more] = said();
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      msg: GIVEN_UP,
      deliveries: keys.length,
      open: open.length + 1,
      leased: 2,
      submitted: 0,
      left: 0,
    });
    const after = new Map((await ledger.getDeliveries(keys)).map((r) => [r.key, r]));
    expect(keys.map((k) => after.get(k)?.state)).toEqual(keys.map(() => 'dead'));
    // Each dead sender's send counted once beside the dead letter, whoever's it was.
    expect(after.get(ownPending)?.attempts).toBeGreaterThan(1);
    expect(after.get(ownPending)?.attempts).toBe(after.get(otherPending)?.attempts);
  }, 90_000);
});
