/**
 * A target without a lookup cannot be asked what it holds after it answered a re-delivery as a
 * duplicate, so the repair cannot tell its own earlier send (which the platform holds) from a view
 * rolled back. The docs and the code's own comment say such a platform leaves the duplicates named,
 * not held; the repair held them back, so later repairs never sent the key again and `status`
 * named it held until a person let it go. It is named and not held now: the next repair sends it again.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
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
import { type SimulatorEntry as Entry, editSimulator } from '../support/simulator-edit.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';

describe('a repair re-delivery answered as a duplicate by a target without a lookup', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let sim: ProvinceSimulator;
  let licenses: { licenseId: string; sourceKey: string }[] = [];

  const run = async () => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  };
  /** Stops the simulator, edits what it holds, starts it again on the same port. */
  const editPlatform = async (edit: (entries: Entry[]) => Entry[]) => {
    sim = await editSimulator(sim, ws.dir, (state) => {
      state.entries = edit(state.entries);
    });
  };
  /** A check, its plan and the plan applied, with the platform adapter changed by `patch` first. */
  const repair = async (patch: (adapter: TargetAdapter) => void) => {
    const rt = new Runtime(config, logger);
    try {
      patch(await rt.target('province'));
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const plan = planRepairs(rt, report);
      const applied = await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });
      const after = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const found = await (await rt.ledger()).repairDuplicates.find(applied.redeliveredKeys);
      return { report, plan, applied, after, found };
    } finally {
      await rt.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 40, seed: 37 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    sim = ws.simulator;
    await run();
    const rt = new Runtime(config, logger);
    try {
      licenses = (await (await rt.ledger()).pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
    } finally {
      await rt.close();
    }
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await ws?.cleanup();
  });

  it('names the duplicate and does not hold it back: the next repair sends it again', async () => {
    const rolledBack = licenses[0];
    if (!rolledBack) throw new Error('no valid license');
    const db = new Database(ws.legacyDb);
    db.prepare(
      `UPDATE ${TABLE} SET JYCS = '青岛市黄岛区长江西路 11 号', GXSJ = '2099-01-01 00:00:00' WHERE ID = ?`,
    ).run(rolledBack.sourceKey);
    db.close();
    await run();
    const latestKey = `${rolledBack.licenseId}:2:province`;
    await editPlatform((entries) => {
      const v1 = entries.find((e) => e.licenseId === rolledBack.licenseId && e.version === 1);
      const v2 = entries.find((e) => e.key === latestKey);
      if (!v1 || !v2) throw new Error('the platform does not hold both versions');
      // The platform shows version 1 again, yet remembers accepting the key of version 2.
      v2.version = 1;
      v2.license = v1.license;
      return entries.filter((e) => e !== v1);
    });
    const withoutLookup = (adapter: TargetAdapter) => {
      adapter.lookup = undefined;
    };

    const first = await repair(withoutLookup);
    expect(first.report.byKind['platform-content-mismatch']).toBe(1);
    expect(first.applied.redeliveredKeys).toEqual([latestKey]);
    expect(first.applied.duplicates).toEqual([latestKey]);
    expect(first.found.map((f) => [f.key, f.heldBy])).toEqual([[latestKey, null]]);
    expect(first.after.byKind['platform-content-mismatch']).toBe(1);

    const duplicatesBefore = sim.stats().duplicates;
    const second = await repair(withoutLookup);
    expect(second.applied.heldDuplicates).toEqual([]);
    expect(second.applied.redeliveredKeys).toEqual([latestKey]);
    expect(second.applied.duplicates).toEqual([latestKey]);
    expect(sim.stats().duplicates).toBe(duplicatesBefore + 1);
  }, 240_000);
});
