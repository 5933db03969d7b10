/**
 * A full check that could not ask a target leaves `status` a `check-unread` attention; once a
 * later full check reads that platform, the attention must go (and `status` exit 0), as must the
 * report's exit 3: the condition is gone. Real checks against the demo's province simulator, the
 * target first offering neither listing nor lookup, then read as usual.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { reconcileExitCode } from '../../cli/commands/reconcile.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { Runtime } from '../../pipelines/runtime.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const logger = createLogger({ level: 'silent' });

describe('check-unread after the platform is read again', { timeout: 120_000 }, () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12, seed: 5 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    const run = await licbridge(['run', PIPELINE, '--config', ws.configFile], { cwd: ws.dir });
    expect(run.status, run.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  /** A full check; `blind`: the province offers neither listing nor lookup in it. */
  const check = async (blind: boolean) => {
    const rt = new Runtime(config, logger);
    try {
      if (blind) {
        const parts = await rt.pipeline(PIPELINE);
        const province = parts.targets.get('province') ?? (await rt.target('province'));
        const unreadable = Object.create(province, {
          list: { value: undefined },
          lookup: { value: undefined },
        }) as TargetAdapter;
        // The runtime's own map of the pipeline's adapters: this check's province reads nothing.
        (parts.targets as Map<string, TargetAdapter>).set('province', unreadable);
      }
      return await reconcilePipeline(rt, { pipeline: PIPELINE });
    } finally {
      await rt.close();
    }
  };
  // The demo's one quarantined row of twelve is an attention of its own (quarantine-share): only
  // the check-unread lines are looked at here.
  const status = async () => {
    const r = await licbridge(['status', '--no-sources', '--json', '--config', ws.configFile], {
      cwd: ws.dir,
    });
    const s = JSON.parse(r.stdout) as { attention: string[]; attentionByKind: Record<string, number> };
    return { code: r.status, unread: s.attentionByKind['check-unread'], attention: s.attention };
  };

  it('names the target while it cannot be asked, and clears once a full check reads it', async () => {
    const unread = await check(true);
    expect(unread.counts.targets.province).toEqual({ unavailable: 'the target offers no lookup' });
    expect(reconcileExitCode([unread])).toBe(3);
    const flagged = await status();
    expect(flagged.unread, flagged.attention.join('\n')).toBe(1);
    expect(flagged.attention.find((a) => a.includes('could not ask'))).toContain('province');
    expect(flagged.code).toBe(3);

    const read = await check(false);
    expect(read.counts.targets.province).toMatchObject({ total: read.counts.ledger.total });
    expect(read.differences).toBe(0);
    expect(reconcileExitCode([read])).toBeUndefined();
    const cleared = await status();
    expect(cleared.unread, cleared.attention.join('\n')).toBe(0);
    expect(cleared.attention.filter((a) => a.includes('could not ask'))).toEqual([]);
  });
});
