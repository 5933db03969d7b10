/**
 * A license only the platform holds, at version 999 there, under `reconcile.unknownAtPlatform:
 * revoke`: its adoption, the next version, has no identifier (GB/T 36904's version is 3 digits).
 * The repair left it out and named it in a log line only, so nothing recorded why and the quarantine
 * list and status did not show it. It is now quarantined `LB_VERSION_LIMIT` in the repair's run,
 * under the key its adoption would take, as a license at 999 deleted at the source is.
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

describe('a license only the platform holds, at version 999 there', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let province: ProvinceSimulator;

  beforeAll(async () => {
    ({ ws, config } = await revokeUnknownWorkspace(8, 71));
    province = ws.simulator;
  }, 120_000);
  afterAll(async () => {
    await province?.close();
    await ws?.cleanup();
  });

  it('is not adopted, and is quarantined LB_VERSION_LIMIT with why in the repair run', async () => {
    let licenseId = '';
    province = await editSimulator(province, ws.dir, (state: SimulatorState) => {
      const model = state.entries[0];
      if (!model) throw new Error('empty platform');
      licenseId = withSerial(model.licenseId, 'ZZZZZZZZZZ');
      state.entries.push(platformOnlyEntry(model, licenseId, { platformId: 'P-LAST', version: 999 }));
    });

    const rt = new Runtime(config, logger);
    try {
      const plan = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE }));
      expect(plan.byAction['adopt-revoke']).toBe(1);
      const applied = await writeRepairs(rt, plan);
      const ledger = await rt.ledger();
      await ledger.finishRun(applied.runId, { state: 'done' });
      expect(applied.atVersionLimit).toEqual([licenseId]);
      expect(await ledger.licensesAtTargetByIds(PIPELINE, 'province', [licenseId])).toEqual([]);
      // On the worklist with why, in the repair's run: not in a log line only.
      const open = (await ledger.openQuarantine({ pipeline: PIPELINE })).filter((q) =>
        q.reasons.some((r) => r.code === 'LB_VERSION_LIMIT'),
      );
      expect(open.map((q) => [q.sourceKey, q.lastRunId])).toEqual([
        ['platform:province:P-LAST', applied.runId],
      ]);
      expect(open[0]?.reasons[0]?.message).toContain(licenseId);
      expect(open[0]?.reasons[0]?.message).toContain('could not adopt it as revoked');
      expect((await ledger.getRun(applied.runId))?.quarantined).toBe(1);
    } finally {
      await rt.close();
    }
  }, 180_000);
});
