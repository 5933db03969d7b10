/**
 * A repair writes its versions and reopenings in parts, each its own transaction: on SQLite the
 * ledger has one connection, and a write asked for while a repair writes (its own run's heartbeat,
 * its lease's renewal) gets it between two parts. Written in one transaction, a large plan held it
 * until the whole plan was written: past `STALE_MS` the live repair's run looked dead to a run
 * beside it, which ended it `abandoned`.
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { REPAIR_PART } from '../../ledger/reconcile-repairs.js';
import { BACKENDS, withLedger } from './backends.js';
import { candidate, newVersions, revokingRepair } from './fixtures.js';

const sqlite = BACKENDS.filter((b) => b.name === 'sqlite');
const OWNER = 'repair-host 4242';

/**
 * The order in which `first`, then a heartbeat, finished: the heartbeat asked for right after it,
 * or once `reads` reads of the ledger asked for after it answered (`first` reads before it writes:
 * the connection goes to those reads, then to its write, then to the heartbeat).
 */
async function finishOrder(
  ledger: Ledger,
  first: () => Promise<unknown>,
  runId: string,
  reads = 0,
): Promise<string[]> {
  const order: string[] = [];
  const writing = first().then(() => order.push('repair'));
  for (let i = 0; i < reads; i += 1) await ledger.getRun(runId);
  const beat = ledger.heartbeatRuns([runId], OWNER).then(() => order.push('heartbeat'));
  await Promise.all([writing, beat]);
  return order;
}

describe.each(sqlite)('a repair written in parts ($name)', (backend) => {
  it("lets the repair's heartbeat through while its versions are written", async () => {
    await withLedger(backend, async (ledger) => {
      const pipeline = 'parts';
      const count = REPAIR_PART + 1;
      await newVersions(ledger, pipeline, 1, count);
      await ledger.startRun({ runId: 'repair-1', pipeline, mode: 'full', owner: OWNER });
      const input = revokingRepair(candidate({ n: 1, pipeline }));
      input.versions = Array.from(
        { length: count },
        (_, i) => revokingRepair(candidate({ n: i + 1, pipeline })).versions[0],
      ).flatMap((v) => (v ? [v] : []));
      let created = 0;
      const order = await finishOrder(
        ledger,
        async () => {
          created = (await ledger.appendRepairVersions(input)).length;
        },
        'repair-1',
      );
      expect(created).toBe(count);
      expect(order).toEqual(['heartbeat', 'repair']);
    });
  });

  it("lets the repair's heartbeat through while its deliveries are reopened", async () => {
    await withLedger(backend, async (ledger) => {
      const ids = await newVersions(ledger, 'parts', 1, REPAIR_PART + 1);
      const keys = (await ledger.ensureDeliveries(ids, 'province')).map((r) => r.key);
      await ledger.recordDeliveryOutcomes(
        keys.map((key, i) => ({ key, state: 'accepted', platformId: `P-${i}` })),
      );
      await ledger.startRun({ runId: 'repair-2', pipeline: 'parts', mode: 'full', owner: OWNER });
      let reopened = 0;
      const order = await finishOrder(
        ledger,
        async () => {
          reopened = await ledger.reopenDeliveries(keys, 'reconcile', 'reconcile r-1');
        },
        'repair-2',
        1,
      );
      expect(reopened).toBe(keys.length);
      expect(order).toEqual(['heartbeat', 'repair']);
    });
  });
});
