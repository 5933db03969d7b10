/**
 * A license only the platform holds that it shows ended already — cancelled (注销) by another
 * system — under `reconcile.unknownAtPlatform: revoke`. The repair adopted it and delivered a
 * revocation: a cancelled license became revoked (撤销) at the platform, an ending nobody gave. A
 * repair never turns one ending into another (docs/reconciliation.md): it is adopted with its
 * ending, and the platform keeps showing it cancelled; one in force is still revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import type { Config } from '../../config/types.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { Runtime } from '../../pipelines/runtime.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { editSimulator, type SimulatorState } from '../support/simulator-edit.js';
import { logger, PIPELINE, platformOnlyEntry, revokeUnknownWorkspace, withSerial } from './platform-only.js';

describe('a license only the platform holds, ended there already', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let province: ProvinceSimulator;

  beforeAll(async () => {
    ({ ws, config } = await revokeUnknownWorkspace(12, 67));
    province = ws.simulator;
  }, 120_000);
  afterAll(async () => {
    await province?.close();
    await ws?.cleanup();
  });

  it('is adopted with its ending; one in force is revoked', async () => {
    const ids = { cancelled: '', valid: '' };
    province = await editSimulator(province, ws.dir, (state: SimulatorState) => {
      const model = state.entries[0];
      if (!model) throw new Error('empty platform');
      for (const [status, serial, code] of [
        ['cancelled', 'ZZZZZZZZZY', '04'],
        ['valid', 'ZZZZZZZZZZ', '01'],
      ] as const) {
        const licenseId = withSerial(model.licenseId, serial);
        ids[status] = licenseId;
        // Each its own record at the platform.
        state.entries.push(platformOnlyEntry(model, licenseId, { platformId: `P-${serial}`, zzzt: code }));
      }
    });

    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(report.byKind['unknown-at-platform']).toBe(2);
      const plan = planRepairs(rt, report);
      expect(plan.byAction['adopt-revoke']).toBe(2);
      await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });

      const ledger = await rt.ledger();
      const adopted = new Map(
        (await ledger.licensesAtTargetByIds(PIPELINE, 'province', [ids.cancelled, ids.valid])).map((l) => [
          l.licenseId,
          l,
        ]),
      );
      expect(adopted.get(ids.cancelled)).toMatchObject({ version: 2, status: 'cancelled' });
      expect(adopted.get(ids.valid)).toMatchObject({ version: 2, status: 'revoked' });
      const after = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(after.differences).toBe(0);
    } finally {
      await rt.close();
    }
  }, 180_000);
});
