/**
 * `licbridge reconcile --json` without a pipeline checks every pipeline in turn and prints their
 * entries once all are done. When one failed (its source unreachable, a repair refused by the
 * mass-effect guard), nothing reached stdout — not the reports of the pipelines checked before it,
 * stored in the ledger, nor with `--repair --yes` what their repairs did — where the text output
 * had shown each as it went. The entries of the pipelines finished before the failure are now
 * printed, then the failure is reported as ever (stderr, its exit status).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const A = 'food-business-licenses';
const B = 'food-gone';

describe('reconcile --json, a later pipeline failing', { timeout: 120_000 }, () => {
  let ws: DemoWorkspace;
  const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 6, seed: 19 });
    let yaml = await readFile(ws.configFile, 'utf8');
    // B: the demo pipeline again, after it, reading a database file that is not there.
    const block = /\n {2}food-business-licenses:\n((?: {4}.*\n)+)/.exec(yaml)?.[1];
    if (!block) throw new Error('the demo config has no food-business-licenses pipeline');
    yaml = yaml.replace(
      `${block}signers:`,
      `${block}  ${B}:\n${block.replace('source: market-food', 'source: market-gone')}signers:`,
    );
    yaml = yaml.replace(
      '  market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }\n',
      '  market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }\n  market-gone: { kind: sqlite, path: ./data/gone/legacy.db, trim: all }\n',
    );
    await writeFile(ws.configFile, yaml);
    const run = await cli(['run', A]);
    expect(run.status, run.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('prints the entries of the pipelines checked before the failure', async () => {
    const r = await cli(['reconcile', '--json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('market-gone');
    const out = JSON.parse(r.stdout) as { report: { pipeline: string; differences: number } }[];
    expect(out.map((e) => e.report.pipeline)).toEqual([A]);
    expect(out[0]?.report.differences).toBe(0);
  });
});
