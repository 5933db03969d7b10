import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { textPlan } from '../../pipelines/reconcile/text-report.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SimulatorEntry as Entry, editSimulator } from '../support/simulator-edit.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace;
let config: Readonly<Config>;
let sim: ProvinceSimulator;

async function editPlatform(edit: (entries: Entry[]) => void): Promise<void> {
  sim = await editSimulator(sim, ws.dir, (state) => edit(state.entries));
}

describe('repairing a platform that holds the latest version, changed', () => {
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 20, seed: 5 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    sim = ws.simulator;
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await ws?.cleanup();
  });

  it('flags content or status changed at the platform, and re-delivers what the platform lost', async () => {
    let edited: string[] = [];
    await editPlatform((entries) => {
      const [content, status, lost] = entries;
      if (!content || !status || !lost) throw new Error('the platform holds fewer than 3 licenses');
      content.license = { ...content.license, zzbh: `${String(content.license.zzbh)}-EDITED` };
      status.license = { ...status.license, zzzt: status.license.zzzt === '10' ? '20' : '10' };
      entries.splice(entries.indexOf(lost), 1);
      edited = [content.licenseId, status.licenseId, lost.licenseId];
    });
    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const kindOf = (id: string | undefined) => report.all.find((d) => d.licenseId === id)?.kind;
      expect(kindOf(edited[0])).toBe('platform-content-mismatch');
      expect(kindOf(edited[2])).toBe('missing-at-platform');
      const plan = planRepairs(rt, report);
      const actionOf = (id: string | undefined) =>
        plan.items.find((i) => i.difference.licenseId === id)?.action;
      expect(actionOf(edited[0])).toBe('flag');
      expect(actionOf(edited[2])).toBe('re-deliver');
      expect(kindOf(edited[1])).toBe('status-drift');
      expect(actionOf(edited[1])).toBe('flag');
      expect(textPlan(plan, { lang: 'en' })).toContain('answered as duplicates and change nothing');
    } finally {
      await rt.close();
    }
    // What needs a person stays visible: status names the check's platform differences.
    const status = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
    expect(status.status).toBe(3);
    expect(status.stdout).toMatch(
      /pipeline food-business-licenses: the last check \(report \S+\) found 3 license\(s\) a platform holds otherwise than the ledger/,
    );
  });
});
