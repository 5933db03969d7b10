/**
 * `--target` names the platforms a full check compares with; a light check asks none. Given both,
 * the command ran the light check, stored it and exited 0 — whatever `--target` named, a target
 * the pipeline does not deliver to too — so an operator who asked for a platform's comparison took
 * one that never asked it for agreement. The two together are now refused as a usage error, before
 * anything is read or stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { storedReportCount } from '../support/stored-reports.js';

const PIPELINE = 'food-business-licenses';

describe('reconcile --light --target', { timeout: 120_000 }, () => {
  let ws: DemoWorkspace;
  const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });
  const stored = (): number => storedReportCount(ws.dir);

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5, seed: 17 });
    const run = await cli(['run', PIPELINE]);
    expect(run.status, run.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  for (const target of ['province', 'provnice']) {
    it(`is refused with --target ${target}, storing nothing`, async () => {
      const before = stored();
      const r = await cli(['reconcile', PIPELINE, '--light', '--target', target]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('--light');
      expect(r.stderr).toContain('--target');
      expect(r.stdout).toBe('');
      expect(stored()).toBe(before);
    });
  }

  it('makes the light check without --target', async () => {
    const r = await cli(['reconcile', PIPELINE, '--light']);
    expect(r.status, r.stderr).toBe(0);
  });
});
