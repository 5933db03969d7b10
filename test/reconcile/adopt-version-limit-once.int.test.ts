/**
 * A license only the platform holds, at version 999 there, under `reconcile.unknownAtPlatform:
 * revoke`: every check plans its adoption again and no repair can write it. Each repair wrote a new
 * `LB_VERSION_LIMIT` record (a record is per run and key), counted again in its run and the metric,
 * though nothing had changed; and no record of it ever closed, as no source row maps to the key its
 * adoption would take. It is now recorded once and kept open while the platform holds it, and a full
 * check that lists the platform without it closes its record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import type { Config } from '../../config/types.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs, writeRepairs } from '../../pipelines/reconcile/repair.js';
import { Runtime } from '../../pipelines/runtime.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { editSimulator, type SimulatorState } from '../support/simulator-edit.js';
import { logger, PIPELINE, platformOnlyEntry, revokeUnknownWorkspace, withSerial } from './platform-only.js';

const KEY = 'platform:province:P-LAST';

describe('a license only the platform holds, at version 999 there, repaired again', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let province: ProvinceSimulator;

  beforeAll(async () => {
    ({ ws, config } = await revokeUnknownWorkspace(8, 83));
    province = ws.simulator;
  }, 120_000);
  afterAll(async () => {
    await province?.close();
    await ws?.cleanup();
  });

  it('is quarantined once, kept open, and closed once the platform no longer holds it', async () => {
    let licenseId = '';
    province = await editSimulator(province, ws.dir, (state: SimulatorState) => {
      const model = state.entries[0];
      if (!model) throw new Error('empty platform');
      licenseId = withSerial(model.licenseId, 'ZZZZZZZZZZ');
      state.entries.push(platformOnlyEntry(model, licenseId, { platformId: 'P-LAST', version: 999 }));
    });

    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const limited = async () =>
        (await ledger.openQuarantine({ pipeline: PIPELINE })).filter((q) =>
          q.reasons.some((r) => r.code === 'LB_VERSION_LIMIT'),
        );
      const runs: string[] = [];
      for (let i = 0; i < 2; i++) {
        const plan = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE }));
        expect(plan.byAction['adopt-revoke']).toBe(1);
        const applied = await writeRepairs(rt, plan);
        await ledger.finishRun(applied.runId, { state: 'done' });
        expect(applied.atVersionLimit).toEqual([licenseId]);
        runs.push(applied.runId);
      }
      // One record, the first repair's, open; the second repair counted none.
      const open = await limited();
      expect(open.map((q) => [q.sourceKey, q.timesSeen, q.lastRunId])).toEqual([[KEY, 1, runs[0]]]);
      expect((await ledger.getRun(runs[1] ?? ''))?.quarantined).toBe(0);
      expect((await ledger.quarantineHistory({ sourceKey: KEY, pipeline: PIPELINE })).length).toBe(1);

      // Its entry cannot be read back for a while (the platform lists it, its version no number):
      // still held there, it is reported unreadable, and its record stays open.
      province = await editSimulator(province, ws.dir, (state: SimulatorState) => {
        for (const e of state.entries)
          if (e.licenseId === licenseId) (e as unknown as { version: unknown }).version = 'nine hundred';
      });
      const unreadable = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(unreadable.all.filter((d) => d.kind === 'unreadable-at-platform').length).toBe(1);
      expect((await limited()).map((q) => q.sourceKey)).toEqual([KEY]);

      // A person ended it at the platform (removed it there): the next full check closes it.
      province = await editSimulator(province, ws.dir, (state: SimulatorState) => {
        state.entries = state.entries.filter((e) => e.licenseId !== licenseId);
      });
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(report.all.filter((d) => d.licenseId === licenseId)).toEqual([]);
      expect(await limited()).toEqual([]);
      const [record] = await ledger.quarantineHistory({ sourceKey: KEY, pipeline: PIPELINE });
      expect(record?.resolvedAt).not.toBeNull();
    } finally {
      await rt.close();
    }
  }, 180_000);
});
