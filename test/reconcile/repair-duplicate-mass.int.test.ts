/**
 * A re-delivery an earlier repair held back as answered a duplicate is planned again, but not sent
 * when the plan is applied (unless `--resend-duplicates`): it changes nothing at the platform, so
 * the guard against mass effects does not count it, and the plan says it is held. With
 * `--resend-duplicates` it is sent again and counted as any re-delivery.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
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
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { editSimulator } from '../support/simulator-edit.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';

describe('a held re-delivery and the guard against mass effects', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let sim: ProvinceSimulator;
  let latestKey = '';
  const cli = (...args: string[]) => licbridge(['reconcile', PIPELINE, ...args, '--config', ws.configFile]);

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30, seed: 41 });
    // Any re-delivery is over the share: the guard refuses a plan that sends one.
    await writeFile(
      ws.configFile,
      `${await readFile(ws.configFile, 'utf8')}reconcile: { maxRepairShare: 0 }\n`,
    );
    config = await loadConfig({ file: ws.configFile, env: {} });
    sim = ws.simulator;
    const run = async () => {
      const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
      expect(s?.state).toBe('done');
    };
    await run();
    const rt = new Runtime(config, logger);
    try {
      const [license] = (await (await rt.ledger()).pipelineLicenses(PIPELINE)).filter(
        (l) => l.status === 'valid',
      );
      if (!license) throw new Error('no valid license');
      const db = new Database(ws.legacyDb);
      db.prepare(
        `UPDATE ${TABLE} SET JYCS = '青岛市黄岛区长江西路 11 号', GXSJ = '2099-01-01 00:00:00' WHERE ID = ?`,
      ).run(license.sourceKey);
      db.close();
      await run();
      latestKey = `${license.licenseId}:2:province`;
      // The platform shows version 1 again, yet remembers accepting the key of version 2.
      sim = await editSimulator(sim, ws.dir, (state) => {
        const v1 = state.entries.find((e) => e.licenseId === license.licenseId && e.version === 1);
        const v2 = state.entries.find((e) => e.key === latestKey);
        if (!v1 || !v2) throw new Error('the platform does not hold both versions');
        v2.version = 1;
        v2.license = v1.license;
        state.entries = state.entries.filter((e) => e !== v1);
      });
      // A repair applied past the guard sends it, is answered a duplicate and holds it back.
      const plan = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE }));
      const applied = await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });
      expect(applied.duplicates).toEqual([latestKey]);
    } finally {
      await rt.close();
    }
  }, 180_000);
  afterAll(async () => {
    await sim?.close();
    await ws?.cleanup();
  });

  it('does not count a held re-delivery, and says it is held in the plan', async () => {
    const received = sim.stats().duplicates;
    const res = await cli('--repair', '--yes', '--json');
    expect(res.stderr).not.toContain('repair refused');
    const out = JSON.parse(res.stdout) as {
      plan: { byAction: Record<string, number>; heldDuplicates?: string[]; massEffect?: unknown };
      applied: { reopened: number; heldDuplicates: string[] };
    };
    expect(out.plan.byAction['re-deliver']).toBe(1);
    expect(out.plan.heldDuplicates).toEqual([latestKey]);
    expect(out.plan.massEffect).toBeUndefined();
    expect(out.applied).toMatchObject({ reopened: 0, heldDuplicates: [latestKey] });
    expect(sim.stats().duplicates).toBe(received);
    // The difference remains.
    expect(res.status).toBe(1);

    const dry = await cli('--repair');
    expect(dry.stdout).toContain(
      `of these, 1 re-delivery was held back by an earlier repair as answered duplicate: applied, it is named, not sent`,
    );
    expect(dry.stdout).toContain(`(${latestKey})`);
    expect(dry.stdout).not.toContain('above reconcile.maxRepairShare');
  }, 120_000);

  it('counts it when --resend-duplicates sends it again', async () => {
    const received = sim.stats().duplicates;
    const refused = await cli('--repair', '--yes', '--resend-duplicates');
    expect(refused.stderr).toContain('repair refused: the plan would re-deliver 1');
    expect(refused.stderr).toContain('--allow-mass 1');
    expect(sim.stats().duplicates).toBe(received);

    const res = await cli('--repair', '--yes', '--resend-duplicates', '--allow-mass', '1', '--json');
    const out = JSON.parse(res.stdout) as { applied: { reopened: number; duplicates: string[] } };
    expect(out.applied).toMatchObject({ reopened: 1, duplicates: [latestKey] });
    expect(sim.stats().duplicates).toBe(received + 1);
  }, 120_000);
});
