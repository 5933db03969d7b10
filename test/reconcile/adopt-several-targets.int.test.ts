/**
 * A license only the platforms hold, under `reconcile.unknownAtPlatform: revoke`, at two targets in
 * different versions (another system sent it unevenly). The plan adopts it at each; applied, the
 * ledger took it once, after the version of whichever target came first, and its revocation went to
 * both: the target holding a higher version than that kept the license valid (refused as not newer,
 * or a duplicate of its own key). It is now adopted after the highest version any target holds, and
 * revoked at both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { Runtime } from '../../pipelines/runtime.js';
import type { SimulatorState } from '../support/simulator-edit.js';
import {
  openTwoTargetWorkspace,
  TWO_TARGET_PIPELINE as PIPELINE,
  type TwoTargetWorkspace,
} from '../support/two-target-workspace.js';

const logger = createLogger({ level: 'silent' });

describe('a license only the platforms hold, in different versions at two targets', () => {
  let two: TwoTargetWorkspace;

  beforeAll(async () => {
    two = await openTwoTargetWorkspace({ rows: 12, seed: 61 }, logger);
  }, 120_000);
  afterAll(async () => {
    await two?.close();
  });

  it('is adopted after the highest version and revoked at both', async () => {
    let unknownId = '';
    const plant = (target: string, version: number) => (state: SimulatorState) => {
      const model = state.entries[0];
      if (!model) throw new Error('empty platform');
      unknownId = `${model.licenseId.split('.').slice(0, -1).join('.')}.ZZZZZZZZZZ`;
      state.entries.push({
        ...structuredClone(model),
        key: `${unknownId}:${version}:${target}`,
        licenseId: unknownId,
        version,
        license: { ...model.license, zzbs: `${unknownId}.00${version}.X` },
      });
    };
    await two.edit('city', plant('city', 1));
    await two.edit('province', plant('province', 2));

    const rt = new Runtime(two.config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(report.byKindAndSide).toMatchObject({
        'unknown-at-platform@city': 1,
        'unknown-at-platform@province': 1,
      });
      const plan = planRepairs(rt, report);
      expect(plan.byAction['adopt-revoke']).toBe(1);
      await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });

      const ledger = await rt.ledger();
      const [adopted] = await ledger.licensesAtTargetByIds(PIPELINE, 'province', [unknownId]);
      expect(adopted).toMatchObject({ version: 3, status: 'revoked' });
      const after = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(after.differences).toBe(0);
    } finally {
      await rt.close();
    }
  }, 180_000);
});
