import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { reconcileExitCode } from '../../cli/commands/reconcile.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { NOT_ASKED } from '../../pipelines/reconcile/not-compared.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { Runtime } from '../../pipelines/runtime.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { editSimulator } from '../support/simulator-edit.js';

const PIPELINE = 'food-business-licenses';
const logger = createLogger({ level: 'silent' });

describe('a full check limited to some targets', { timeout: 120_000 }, () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let sim: ProvinceSimulator | undefined;
  const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12, seed: 5 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    const run = await cli(['run', PIPELINE]);
    expect(run.status, run.stderr).toBe(0);
    // The province loses a license: a difference only a check that asks it can see.
    sim = await editSimulator(ws.simulator, ws.dir, (state) => {
      state.entries = state.entries.slice(1);
    });
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await ws?.cleanup();
  });

  const check = async (targets?: string[]) => {
    const rt = new Runtime(config, logger);
    try {
      return await reconcilePipeline(rt, { pipeline: PIPELINE, ...(targets ? { targets } : {}) });
    } finally {
      await rt.close();
    }
  };
  const platformNotes = async () => {
    const r = await cli(['status', '--no-sources', '--json']);
    const s = JSON.parse(r.stdout) as { attentionByKind: Record<string, number>; attention: string[] };
    return {
      platform: s.attentionByKind['check-platform'],
      unread: s.attention.filter((a) => a.includes('not compared')),
    };
  };

  it('names the targets it left out as not compared, and never says they agree', async () => {
    const full = await check();
    expect(full.byKind['missing-at-platform']).toBe(1);
    expect((await platformNotes()).platform).toBe(1);

    const limited = await check([]);
    expect(limited.differences).toBe(0);
    expect(limited.counts.targets).toEqual({ province: { unavailable: NOT_ASKED } });
    // Nothing differs among what was compared, but the province was not: not agreement (exit 3).
    expect(reconcileExitCode([limited])).toBe(3);
    const after = await platformNotes();
    expect(after.unread).toHaveLength(1);
    expect(after.unread[0]).toContain('province not compared in the last full check');
  });

  it('refuses a target the pipeline does not deliver to', async () => {
    await expect(check(['provnice'])).rejects.toThrow(/--target.*provnice/);
    const r = await cli(['reconcile', PIPELINE, '--target', 'provnice']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('provnice');
  });

  it('compares a target named twice once', async () => {
    const twice = await check(['province', 'province']);
    expect(twice.byKind['missing-at-platform']).toBe(1);
    expect(twice.counts.targets).toEqual({
      province: expect.objectContaining({ total: expect.any(Number) }),
    });
  });
});
