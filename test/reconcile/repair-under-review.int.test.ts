/**
 * A platform that accepts first and judges later lists a license only once its review accepted it.
 * A delivery it answered `submitted` is still under review: the check reports the license as
 * missing there (the platform does not show it), but a repair must not send it again — the
 * platform answers a key under review as a duplicate, and the repair then held the delivery back
 * as "accepted yet showing an older version", which `licbridge status` and the art. 10 clock kept
 * counting after the review had accepted it. Nor may the repair wait for the review to end.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  readSimulatorState,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, DEMO_SECRET, type DemoWorkspace } from '../support/demo-workspace.js';
import type { SimulatorState } from '../support/simulator-edit.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

describe('a repair and a license the platform is still reviewing', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let sim: ProvinceSimulator;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30, seed: 41 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    sim = ws.simulator;
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await ws?.cleanup();
  });

  it('reports it missing, sends nothing again, holds nothing back and does not wait', async () => {
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const lic = (await ledger.pipelineLicenses(PIPELINE)).find((l) => l.status === 'valid');
      if (!lic) throw new Error('no valid license');
      const key = `${lic.licenseId}:${lic.version}:province`;

      // The platform now reviews what it takes, and has not listed this license yet: it was
      // sent (again) and answered `submitted`, and its review has not ended.
      const port = Number(new URL(sim.url).port);
      await sim.close();
      const file = join(ws.dir, 'data', 'sim.json');
      const state = (await readSimulatorState(file)) as SimulatorState;
      state.entries = state.entries.filter((e) => e.licenseId !== lic.licenseId);
      await writeFile(file, JSON.stringify(state));
      sim = await startProvinceSimulator({
        port,
        auth: { appKey: 'test-app', secret: DEMO_SECRET },
        stateFile: file,
        review: { polls: 1_000_000 },
      });
      expect(
        await ledger.reopenDeliveries([key], 'operator:test', 'test: sent to a reviewing platform'),
      ).toBe(1);
      const parts = rt.pipelineConfig(PIPELINE);
      const sent = await deliverVersions(await rt.target('province'), sealIdOf(config, parts), ledger, [
        lic.versionId,
      ]);
      expect(sent.submitted).toBe(1);
      expect((await ledger.getDeliveries([key]))[0]?.state).toBe('submitted');

      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      // Not hidden: the platform does not show the license.
      expect(report.all.filter((d) => d.kind === 'missing-at-platform').map((d) => d.licenseId)).toEqual([
        lic.licenseId,
      ]);
      expect(report.differences).toBe(1);

      const duplicatesBefore = sim.stats().duplicates;
      const plan = planRepairs(rt, report);
      const applied = await applyRepairs(rt, plan, { logger, idleTimeoutMs: 20_000 });
      expect(applied.redeliveredKeys).toEqual([]);
      expect(applied.awaitingPlatform).toEqual([key]);
      expect(applied.duplicates).toEqual([]);
      // Nothing sent again, nothing held back, the review's answer still awaited.
      expect(sim.stats().duplicates).toBe(duplicatesBefore);
      expect((await ledger.repairDuplicates.find([key])).map((d) => d.heldBy)).toEqual([]);
      const [after] = await ledger.getDeliveries([key]);
      expect(after?.state).toBe('submitted');
      expect(after?.receipt).not.toBeNull();

      // The check after the repair still says so: the review has not ended.
      const again = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(again.byKind['missing-at-platform']).toBe(1);

      // Not sent when applied, it is not counted against the guard: a plan whose only
      // re-delivery awaits the review is not refused, even at a share of 0.
      await writeFile(
        ws.configFile,
        `${await readFile(ws.configFile, 'utf8')}reconcile: { maxRepairShare: 0 }\n`,
      );
      const cli = (...args: string[]) =>
        licbridge(['reconcile', PIPELINE, ...args, '--config', ws.configFile]);
      const dry = await cli('--repair', '--json');
      const out = JSON.parse(dry.stdout) as {
        plan: { byAction: Record<string, number>; awaitingPlatform?: string[]; massEffect?: unknown };
      };
      expect(out.plan.byAction['re-deliver']).toBe(1);
      expect(out.plan.awaitingPlatform).toEqual([key]);
      expect(out.plan.massEffect).toBeUndefined();
      const text = await cli('--repair');
      expect(text.stdout).toContain(
        `of these, 1 re-delivery awaits the platform's review (answered submitted)`,
      );
      expect(text.stdout).not.toContain('above reconcile.maxRepairShare');
      const wet = await cli('--repair', '--yes');
      expect(wet.stderr).not.toContain('repair refused');
      expect(sim.stats().duplicates).toBe(duplicatesBefore);
      expect((await ledger.getDeliveries([key]))[0]?.state).toBe('submitted');
    } finally {
      await rt.close();
    }
  }, 240_000);
});
