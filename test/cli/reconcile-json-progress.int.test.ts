/**
 * `reconcile --json` wrote its progress counts (`reconcile P: ledger licenses: 5/5 …`) on stderr,
 * where every other command but `sign` writes none under `--json` (docs/operations.md, "Progress"):
 * a script reading the JSON and logging stderr took lines it had not asked for. It now writes none;
 * without `--json` the counts are still written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const COUNT = `reconcile ${PIPELINE}: ledger licenses:`;

describe('reconcile progress under --json', { timeout: 120_000 }, () => {
  let ws: DemoWorkspace;
  const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5, seed: 23 });
    const run = await cli(['run', PIPELINE]);
    expect(run.status, run.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('writes its counts on stderr without --json', async () => {
    const r = await cli(['reconcile', PIPELINE]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(COUNT);
  });

  it('writes none with --json, and the report on stdout', async () => {
    const r = await cli(['reconcile', PIPELINE, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain(`reconcile ${PIPELINE}:`);
    const out = JSON.parse(r.stdout) as { report: { pipeline: string } };
    expect(out.report.pipeline).toBe(PIPELINE);
  });
});
