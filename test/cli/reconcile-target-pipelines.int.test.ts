/**
 * `licbridge reconcile --target T` without a pipeline checked every pipeline of the config in turn
 * and failed with a usage error at the first one that does not deliver to T, after the ones before
 * it were checked and their reports stored (and with `--repair --yes`, repaired). It now checks the
 * pipelines that deliver to T only, and refuses a T no pipeline delivers to before anything runs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const A = 'food-business-licenses';
const B = 'food-city';

describe('reconcile --target without a pipeline', { timeout: 120_000 }, () => {
  let ws: DemoWorkspace;
  const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });
  /** Stored reports per pipeline; none before the ledger exists. */
  const stored = (): Record<string, number> => {
    let db: Database.Database;
    try {
      db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true, fileMustExist: true });
    } catch {
      return {};
    }
    try {
      const rows = db
        .prepare('SELECT pipeline, count(*) AS n FROM reconcile_reports GROUP BY pipeline')
        .all() as { pipeline: string; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.pipeline, r.n]));
    } catch {
      return {};
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 6, seed: 11 });
    let yaml = await readFile(ws.configFile, 'utf8');
    // B: the demo pipeline's block, after it, delivering to another target (`city`) only.
    const block = /\n {2}food-business-licenses:\n((?: {4}.*\n)+)/.exec(yaml)?.[1];
    if (!block) throw new Error('the demo config has no food-business-licenses pipeline');
    yaml = yaml.replace(
      `${block}signers:`,
      `${block}  ${B}:\n${block.replace('targets: [province]', 'targets: [city]')}signers:`,
    );
    yaml = yaml.replace(
      'targets:\n  province:\n',
      `targets:\n  city: { kind: rest-json, url: "${ws.simulator.url}", auth: { scheme: hmac, appKey: test-app, secret: x } }\n  province:\n`,
    );
    await writeFile(ws.configFile, yaml);
    const run = await cli(['run', A]);
    expect(run.status, run.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('checks only the pipelines that deliver to the target', async () => {
    const before = stored();
    const r = await cli(['reconcile', '--target', 'province', '--json']);
    expect(r.stderr).not.toContain('--target');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { report: { pipeline: string; counts: { targets: object } } };
    expect(out.report.pipeline).toBe(A);
    expect(Object.keys(out.report.counts.targets)).toEqual(['province']);
    expect(stored()).toEqual({ ...before, [A]: (before[A] ?? 0) + 1 });
  });

  it('refuses a target no pipeline delivers to before any pipeline is checked', async () => {
    const before = stored();
    const r = await cli(['reconcile', '--target', 'provnice']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('provnice');
    expect(r.stderr).toContain('city, province');
    expect(stored()).toEqual(before);
  });
});
