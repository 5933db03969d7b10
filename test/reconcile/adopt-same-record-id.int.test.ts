/**
 * Two licenses only the platforms hold, under `reconcile.unknownAtPlatform: revoke`, one at each
 * target, which number their own records alike (each platform's record `P-1`). An adopted license
 * was keyed `platform:<platform id>`: both took the same source key, the ledger refused the second
 * (a pipeline's source keys are unique), and the whole repair failed — every repair after it the
 * same way. The key names the target too: both are adopted and revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { Runtime } from '../../pipelines/runtime.js';
import type { SimulatorEntry, SimulatorState } from '../support/simulator-edit.js';
import {
  openTwoTargetWorkspace,
  TWO_TARGET_PIPELINE as PIPELINE,
  type TwoTargetWorkspace,
} from '../support/two-target-workspace.js';

const logger = createLogger({ level: 'silent' });

describe('two licenses only the platforms hold, under one record id at two targets', () => {
  let two: TwoTargetWorkspace;

  beforeAll(async () => {
    two = await openTwoTargetWorkspace({ rows: 12, seed: 61 }, logger);
  }, 120_000);
  afterAll(async () => {
    await two?.close();
  });

  it('are both adopted and revoked', async () => {
    const ids: Record<string, string> = {};
    const plant = (target: string, serial: string) => (state: SimulatorState) => {
      const model = state.entries[0];
      if (!model) throw new Error('empty platform');
      const licenseId = `${model.licenseId.split('.').slice(0, -1).join('.')}.${serial}`;
      ids[target] = licenseId;
      state.entries.push({
        ...structuredClone(model),
        platformId: 'P-1',
        key: `${licenseId}:1:${target}`,
        licenseId,
        version: 1,
        license: { ...model.license, zzbs: `${licenseId}.001.X` },
      } as SimulatorEntry);
    };
    await two.edit('city', plant('city', 'ZZZZZZZZZY'));
    await two.edit('province', plant('province', 'ZZZZZZZZZZ'));

    const rt = new Runtime(two.config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const plan = planRepairs(rt, report);
      expect(plan.byAction['adopt-revoke']).toBe(2);
      await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });
      const ledger = await rt.ledger();
      const adopted = await ledger.licensesAtTargetByIds(PIPELINE, 'province', Object.values(ids));
      expect(adopted.map((l) => l.status)).toEqual(['revoked', 'revoked']);
      expect(new Set(adopted.map((l) => l.sourceKey)).size).toBe(2);
    } finally {
      await rt.close();
    }
  }, 180_000);
});
