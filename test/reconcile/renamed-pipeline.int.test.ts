/**
 * Serials are derived per pipeline name (docs/catalog.md): a pipeline renamed in the config issues
 * every license again under new identifiers, while the platform still holds those issued under
 * the old name — each license twice. The platform check left a platform license the ledger holds
 * under another pipeline to that pipeline's check; with the old name gone from the config no check
 * compares them, and the renamed pipeline's check said the platform agrees. Such licenses are
 * reported as `unknown-at-platform` (held by the ledger under a pipeline not in the config), and a
 * repair only flags them: the ledger's guard never writes another pipeline's license.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { textPlan } from '../../pipelines/reconcile/text-report.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const OLD = 'food-business-licenses';
const NEW = 'food-licenses';

describe('a pipeline renamed in the config', () => {
  let ws: DemoWorkspace;
  let oldIds: string[] = [];

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 20, seed: 47 });
    const before = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(before, { pipelines: [OLD], full: false, logger });
    expect(s?.state).toBe('done');
    oldIds = [...new Set(ws.simulator.licenses().map((e) => e.licenseId))];
    expect(oldIds.length).toBeGreaterThan(0);
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  const renamed = async (extra: string): Promise<Readonly<Config>> => {
    const yaml = (await readFile(ws.configFile, 'utf8')).replace(`  ${OLD}:\n`, `  ${NEW}:\n`);
    await writeFile(ws.configFile, `${yaml.replace(/\nreconcile:.*\n/, '\n')}${extra}`);
    return loadConfig({ file: ws.configFile, env: {} });
  };

  it('reports what the platform holds under the old name, and a repair only flags it', async () => {
    const config = await renamed('reconcile: { unknownAtPlatform: revoke }\n');
    const [s] = await runPipelines(config, { pipelines: [NEW], full: false, logger });
    expect(s?.state).toBe('done');
    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: NEW });
      const unknown = report.all.filter((d) => d.kind === 'unknown-at-platform');
      expect(unknown.map((d) => d.licenseId).sort()).toEqual([...oldIds].sort());
      expect(unknown.every((d) => d.outsideConfig === true)).toBe(true);
      expect(report.differences).toBe(oldIds.length);
      const plan = planRepairs(rt, report);
      expect(plan.byAction['adopt-revoke']).toBe(0);
      expect(plan.byAction.flag).toBe(oldIds.length);
      expect(textPlan(plan, { lang: 'en' })).toContain(
        `${oldIds.length} licenses the platform holds belong in licbridge to a pipeline no longer in the config`,
      );
    } finally {
      await rt.close();
    }
  }, 120_000);

  it('leaves them to the other pipeline while the config has it', async () => {
    // Both names in the config (the old one kept to finish its licenses): its own check compares them.
    const yaml = await readFile(ws.configFile, 'utf8');
    const block = /\n {2}food-licenses:\n(?: {4}.*\n)+/.exec(yaml)?.[0];
    if (!block) throw new Error('no pipeline block');
    await writeFile(ws.configFile, yaml.replace(block, `${block}${block.replace(NEW, OLD)}`));
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: NEW });
      expect(report.byKind['unknown-at-platform']).toBe(0);
    } finally {
      await rt.close();
    }
  }, 120_000);
});
