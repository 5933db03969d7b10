/**
 * A license only the platform holds, under `reconcile.unknownAtPlatform: revoke`, that the platform
 * changes between the check and the repair (another system sends it a new version). The repair
 * asked the platform for the license to build the revocation from and took what it holds now, but
 * numbered the adoption after the version the check saw: the platform's version 2 was taken into
 * the ledger as version 2, revoked, from content the plan never showed, and sent under a version
 * the platform holds already. A license changed since the check is left to the next check, as one
 * changed in the ledger is: not adopted, and named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import type { Config } from '../../config/types.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { Runtime } from '../../pipelines/runtime.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { editSimulator, type SimulatorEntry, type SimulatorState } from '../support/simulator-edit.js';
import { logger, PIPELINE, platformOnlyEntry, revokeUnknownWorkspace, withSerial } from './platform-only.js';

describe('a license only the platform holds, changed there between the check and the repair', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let province: ProvinceSimulator;

  beforeAll(async () => {
    ({ ws, config } = await revokeUnknownWorkspace(12, 71));
    province = ws.simulator;
  }, 120_000);
  afterAll(async () => {
    await province?.close();
    await ws?.cleanup();
  });

  it('is not adopted from what the plan never showed; the next check sees it as it is', async () => {
    let licenseId = '';
    let model: SimulatorEntry | undefined;
    province = await editSimulator(province, ws.dir, (state: SimulatorState) => {
      model = structuredClone(state.entries[0]);
      if (!model) throw new Error('empty platform');
      licenseId = withSerial(model.licenseId, 'ZZZZZZZZZX');
      state.entries.push(platformOnlyEntry(model, licenseId, { platformId: 'P-ZZZZZZZZZX' }));
    });

    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(report.all.filter((d) => d.kind === 'unknown-at-platform').map((d) => d.licenseId)).toEqual([
        licenseId,
      ]);
      const plan = planRepairs(rt, report);
      expect(plan.byAction['adopt-revoke']).toBe(1);

      // Meanwhile another system sends the platform the license's version 2, its number changed.
      province = await editSimulator(province, ws.dir, (state: SimulatorState) => {
        const entry = state.entries.find((e) => e.licenseId === licenseId);
        if (!entry) throw new Error('entry gone');
        entry.version = 2;
        entry.key = 'another-system-2';
        entry.license = { ...entry.license, zzbs: `${licenseId}.002.X`, zzbh: 'CHANGED-0002' };
      });

      const applied = await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });
      const ledger = await rt.ledger();
      expect(await ledger.licensesAtTargetByIds(PIPELINE, 'province', [licenseId])).toEqual([]);
      expect(applied.changedAtPlatform).toEqual([licenseId]);

      const after = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const still = after.all.filter((d) => d.kind === 'unknown-at-platform');
      expect(still.map((d) => [d.licenseId, d.platform?.version, d.platform?.status])).toEqual([
        [licenseId, 2, 'valid'],
      ]);
    } finally {
      await rt.close();
    }
  }, 180_000);
});
