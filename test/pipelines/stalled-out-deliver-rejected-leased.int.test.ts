/**
 * A poison deliver job given up counts what became of each of its deliveries on its error line:
 * open, leased (to one of its own takes), submitted, left (to another live job). A `rejected`
 * delivery is open as a `pending` one is (a claim may lease either), but the ledger told a
 * delivery's lease on `pending` rows only: one rejected and then claimed by the take that died was
 * read as held by nobody, its dead letter written as over no lease, refused by the dead take's live
 * lease, and the row stayed `rejected` and was counted `left`, as if another job were sending it.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { configuredTarget } from '../../pipelines/jobs.js';
import { deliverQueueName } from '../../pipelines/queues.js';
import { Runtime } from '../../pipelines/runtime.js';
import { sendLeaseMs } from '../../pipelines/stages/delivery-lease.js';
import { deliverSender } from '../../pipelines/workers/stalled-out.js';
import { lineLogger } from '../support/log-lines.js';
import { stalledWorker } from '../support/stalled-worker.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const GIVEN_UP = 'job: stalled out again; its open deliveries dead-lettered';

describe('a poison deliver job holding the lease of a rejected delivery', () => {
  const stalled = stalledWorker();

  afterEach(() => stalled.close());

  it('dead-letters it as leased, and counts only another live job’s row as left', async () => {
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
    // One rejected then claimed by the take that dies; one rejected and claimed by another live
    // job; one pending claimed by the take that dies; the rest open and held by nobody.
    const [ownRejected, otherRejected, ownPending, ...open] = keys;
    if (!ownRejected || !otherRejected || !ownPending || open.length === 0)
      throw new Error('four deliveries or more expected');
    const rejected = await ledger.recordDeliveryOutcomes(
      [ownRejected, otherRejected].map((key) => ({ key, state: 'rejected', reasons: ['E-17: refused'] })),
    );
    expect(rejected).toEqual([ownRejected, otherRejected]);
    const leaseMs = sendLeaseMs(configuredTarget(config, 'province'), keys.length);
    expect((await stalled.takeAndDie(deliverQueueName('province')))?.id).toBe(copyId);
    expect(
      await ledger.claimDeliveries([ownRejected, ownPending], deliverSender(copyId, 1), leaseMs),
    ).toEqual([ownRejected, ownPending]);
    expect(await ledger.claimDeliveries([otherRejected], `${randomUUID()}#1`, leaseMs)).toEqual([
      otherRejected,
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
      deliveries: keys.length - 1,
      open: open.length,
      leased: 2,
      submitted: 0,
      left: 1,
    });
    const after = new Map((await ledger.getDeliveries(keys)).map((r) => [r.key, r.state]));
    expect(keys.map((k) => after.get(k))).toEqual(
      keys.map((k) => (k === otherRejected ? 'rejected' : 'dead')),
    );
  }, 90_000);
});
