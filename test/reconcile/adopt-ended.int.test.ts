/**
 * A license only the platform holds that it shows ended already — cancelled (注销) by another
 * system — under `reconcile.unknownAtPlatform: revoke`. The repair adopted it and delivered a
 * revocation: a cancelled license became revoked (撤销) at the platform, an ending nobody gave. A
 * repair never turns one ending into another (docs/reconciliation.md): it is adopted with its
 * ending, and the platform keeps showing it cancelled; one in force is still revoked.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { editSimulator, type SimulatorEntry, type SimulatorState } from '../support/simulator-edit.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

describe('a license only the platform holds, ended there already', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let province: ProvinceSimulator;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12, seed: 67 });
    province = ws.simulator;
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(
      ws.configFile,
      `${yaml}reconcile: { unknownAtPlatform: revoke, buckets: 64, maxRepairShare: 1 }\n`,
    );
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
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
      const prefix = model.licenseId.split('.').slice(0, -1).join('.');
      for (const [status, serial, code] of [
        ['cancelled', 'ZZZZZZZZZY', '04'],
        ['valid', 'ZZZZZZZZZZ', '01'],
      ] as const) {
        const licenseId = `${prefix}.${serial}`;
        ids[status] = licenseId;
        state.entries.push({
          ...structuredClone(model),
          // Each its own record at the platform.
          platformId: `P-${serial}`,
          key: `${licenseId}:1:province`,
          licenseId,
          version: 1,
          license: { ...model.license, zzbs: `${licenseId}.001.X`, zzzt: code },
        } as SimulatorEntry);
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
