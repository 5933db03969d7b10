/**
 * A repair reopens its re-deliveries a page of the plan at a time (reopen-deliveries.ts), after its
 * pages of versions. A repair told to stop (SIGTERM, Ctrl-C) while reopening them heard the stop
 * only as it queued the jobs: every page of a platform's lost licenses was reopened first. It now
 * stops before its next page of re-deliveries: the pages reopened stand, no further one is, its run
 * ends `abandoned` and the pipeline is let go, as a repair stopped between pages of versions.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../config/types.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reDeliveryKeys } from '../../pipelines/reconcile/re-deliveries.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { Runtime } from '../../pipelines/runtime.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { editSimulator } from '../support/simulator-edit.js';
import { logger, PIPELINE, revokeUnknownWorkspace } from './platform-only.js';

// Pages of one plan item: three re-deliveries are three pages (500 a page otherwise).
vi.mock('../../ledger/reconcile-repairs.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../ledger/reconcile-repairs.js')>()),
  REPAIR_PART: 1,
}));

const LOST = 3;

describe('a repair stopped after its first page of re-deliveries is reopened', () => {
  let opened: { ws: DemoWorkspace; config: Readonly<Config> } | undefined;
  beforeAll(async () => {
    const { ws, config } = await revokeUnknownWorkspace(12, 83);
    // The province lost the first LOST licenses it held: each a `re-deliver` of the plan.
    ws.simulator = await editSimulator(ws.simulator, ws.dir, (state) => {
      const lost = new Set(
        [...state.entries]
          .sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1))
          .slice(0, LOST)
          .map((e) => e.licenseId),
      );
      state.entries = state.entries.filter((e) => !lost.has(e.licenseId));
    });
    opened = { ws, config };
  }, 180_000);
  afterAll(async () => {
    await opened?.ws.simulator.close();
    await opened?.ws.cleanup();
  });

  it('reopens no further page, and its run is abandoned', async () => {
    if (!opened) throw new Error('no workspace');
    const rt = new Runtime(opened.config, logger);
    try {
      const ledger = await rt.ledger();
      const plan = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE }));
      expect(plan.byAction['re-deliver']).toBe(LOST);
      // The stop asked for as the first page's deliveries are reopened.
      const stop = new AbortController();
      const reopen = ledger.reopenDeliveries.bind(ledger);
      const reopened: string[] = [];
      Object.assign(ledger, {
        reopenDeliveries: async (...args: Parameters<typeof reopen>) => {
          const n = await reopen(...args);
          reopened.push(...args[0]);
          stop.abort('SIGTERM');
          return n;
        },
      });
      const e = await applyRepairs(rt, plan, { logger, stop: stop.signal }).then(
        () => new Error('the repair was stopped; it should not have completed'),
        (err: unknown) => err,
      );
      Object.assign(ledger, { reopenDeliveries: reopen });
      expect(e).toBeInstanceOf(RunStopped);
      const runId = (e as RunStopped).runs[0]?.runId ?? '';
      expect((await ledger.getRun(runId))?.state).toBe('abandoned');
      expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
      // The first page's delivery was reopened; the two pages after the stop were left as they were.
      expect(reopened).toHaveLength(1);
      const keys = reDeliveryKeys(plan);
      expect(keys).toHaveLength(LOST);
      const pending = (await ledger.getDeliveries(keys)).filter((d) => d.state === 'pending');
      expect(pending.map((d) => d.key)).toEqual(reopened);
    } finally {
      await rt.close();
    }
  }, 180_000);
});
