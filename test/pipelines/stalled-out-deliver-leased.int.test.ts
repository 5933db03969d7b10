/**
 * A poison deliver job given up counts what became of each of its deliveries on its error line:
 * open, leased (to one of its own takes), submitted, left (to another live job).
 * - A `rejected` delivery is open as a `pending` one is (a claim may lease either), but the ledger
 *   told a delivery's lease on `pending` rows only: one rejected and then claimed by the take that
 *   died was read as held by nobody, its dead letter written as over no lease, refused by the dead
 *   take's live lease, and the row stayed `rejected` and was counted `left`, as if another job were
 *   sending it.
 * - A row its dead take claimed is leased to that take only while the lease lasts: given up after
 *   the lease ran out (the stall noticed late, or the send's lease short), the row was read as held
 *   by nobody, found no owner among the job's takes, and was counted `open`, though that take may
 *   have sent it. A run-out lease now tells its own sender (ledger/delivery-lease-state.ts
 *   `leaseLapsedOwn`); another dead job's run-out lease stays open.
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

describe('a poison deliver job given up', () => {
  const stalled = stalledWorker();

  afterEach(() => stalled.close());

  /** Five licenses at the deliver stage, a runtime logging to `lines`, and a stalled copy of its job. */
  const stalledCopy = async () => {
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
    const leaseMs = sendLeaseMs(configuredTarget(config, 'province'), keys.length);
    return { parts, ledger, lines, copyId, keys, leaseMs };
  };

  /** Lets the deliver workers give the copy up, and reads the one error line they logged for it. */
  const givenUpLine = async (lines: string[], copyId: string | undefined) => {
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
    return line;
  };

  it('holding the lease of a rejected delivery dead-letters it as leased, and counts only another live job’s row as left', async () => {
    const { ledger, lines, copyId, keys, leaseMs } = await stalledCopy();
    // One rejected then claimed by the take that dies; one rejected and claimed by another live
    // job; one pending claimed by the take that dies; the rest open and held by nobody.
    const [ownRejected, otherRejected, ownPending, ...open] = keys;
    if (!ownRejected || !otherRejected || !ownPending || open.length === 0)
      throw new Error('four deliveries or more expected');
    const rejected = await ledger.recordDeliveryOutcomes(
      [ownRejected, otherRejected].map((key) => ({ key, state: 'rejected', reasons: ['E-17: refused'] })),
    );
    expect(rejected).toEqual([ownRejected, otherRejected]);
    expect((await stalled.takeAndDie(deliverQueueName('province')))?.id).toBe(copyId);
    expect(
      await ledger.claimDeliveries([ownRejected, ownPending], deliverSender(copyId, 1), leaseMs),
    ).toEqual([ownRejected, ownPending]);
    expect(await ledger.claimDeliveries([otherRejected], `${randomUUID()}#1`, leaseMs)).toEqual([
      otherRejected,
    ]);

    const line = await givenUpLine(lines, copyId);
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

  it('after its dead take’s leases ran out counts the rows of those leases as leased, not open', async () => {
    const { parts, ledger, lines, copyId, keys, leaseMs } = await stalledCopy();
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

    const line = await givenUpLine(lines, copyId);
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
