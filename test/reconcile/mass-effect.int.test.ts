/**
 * The guard against mass effects, through the real CLI: an emptied source table makes every
 * license look deleted. A run then revokes nothing and `status` says a person is needed; a repair
 * that would revoke them all stops before acting, and goes on only when `--allow-mass` names the
 * exact count. Also: the light check names deleted keys, exits 1 and stores what it printed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

describe('reconcile: keys named, and mass effects guarded', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  const cli = (...args: string[]) => licbridge([...args, '--config', ws.configFile], { timeoutMs: 120_000 });
  const statuses = async () => {
    const rt = new Runtime(config, logger);
    try {
      return await (await rt.ledger()).licenseStatusCounts(PIPELINE);
    } finally {
      await rt.close();
    }
  };
  const licensedKeys = async (n: number): Promise<string[]> => {
    const rt = new Runtime(config, logger);
    try {
      const licenses = await (await rt.ledger()).pipelineLicenses(PIPELINE);
      return licenses
        .filter((l) => l.status === 'valid')
        .slice(0, n)
        .map((l) => l.sourceKey);
    } finally {
      await rt.close();
    }
  };
  const deleteRows = (where: string, params: unknown[] = []) => {
    const db = new Database(ws.legacyDb);
    try {
      db.prepare(`DELETE FROM T_SPXK_XKZ ${where}`).run(...params);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 120, seed: 3 });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, `${yaml}reconcile: { buckets: 16, deletedAtSource: revoke }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('the light check names the 5 deleted keys, exits 1, and stores the same', async () => {
    const gone = await licensedKeys(5);
    deleteRows(`WHERE ID IN (${gone.map(() => '?').join(',')})`, gone.map(Number));
    const r = await cli('reconcile', PIPELINE, '--light', '--json');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as {
      report: { reportId: string; differences: number; sample: { kind: string; sourceKey: string }[] };
    };
    expect(out.report.differences).toBe(5);
    expect(out.report.sample.map((d) => [d.kind, d.sourceKey]).sort()).toEqual(
      gone.map((k) => ['deleted-at-source', k]).sort(),
    );
    const rt = new Runtime(config, logger);
    try {
      const [stored] = await (await rt.ledger()).getReports({ reportId: out.report.reportId });
      expect(stored?.differences).toBe(5);
    } finally {
      await rt.close();
    }
    // The run's own summary and the report it points to say the same.
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    const check = s?.check;
    if (!check || !('reportId' in check)) throw new Error(`no light check: ${JSON.stringify(check)}`);
    expect(check.differences).toBe(5);
  }, 120_000);

  it('a row the run never reads and a row deleted do not cancel out in the run summary', async () => {
    // The sixth: the first five were deleted above and are still licenses in the ledger.
    const gone = (await licensedKeys(6))[5];
    const db = new Database(ws.legacyDb);
    try {
      // A row committed late with an update time behind the checkpoint: cursor sync never sees it.
      const max = (db.prepare('SELECT MAX(ID) AS m FROM T_SPXK_XKZ').get() as { m: number }).m;
      db.prepare(
        `INSERT INTO T_SPXK_XKZ SELECT ${max + 1000} AS ID, XKZBH, JYZMC, TYSHXYDM, FDDBR, FDDBRSFZ, JYCS, ZTYT, JYXM, FZRQ, YXQZ, FZJG, ZT, XZQH, '2000-01-01 00:00:00' AS GXSJ, YZSBH FROM T_SPXK_XKZ WHERE ID = ?`,
      ).run(Number(gone));
      expect(db.prepare('SELECT COUNT(*) AS n FROM T_SPXK_XKZ WHERE ID = ?').get(Number(gone))).toEqual({
        n: 1,
      });
      db.prepare('DELETE FROM T_SPXK_XKZ WHERE ID = ?').run(Number(gone));
    } finally {
      db.close();
    }
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    const check = s?.check;
    if (!check || !('reportId' in check)) throw new Error(`no light check: ${JSON.stringify(check)}`);
    // 5 deleted before, 1 more deleted, 1 missed: counts alone would say 5.
    expect(check.differences).toBe(7);
    const r = await cli('reconcile', PIPELINE, '--light', '--json');
    const sample = (JSON.parse(r.stdout) as { report: { sample: { kind: string }[] } }).report.sample;
    expect(sample.filter((d) => d.kind === 'missed')).toHaveLength(1);
  }, 120_000);

  it('an emptied source table: the run revokes nothing and status needs a person', async () => {
    const before = await statuses();
    deleteRows('');
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.created).toBe(0);
    expect(await statuses()).toEqual(before);
    const status = await cli('status');
    expect(status.status).toBe(3);
    expect(`${status.stdout}${status.stderr}`).toMatch(
      /source market-food held 0 key\(s\) at the last check .* while the ledger holds \d+ license\(s\).*check the source/,
    );
  }, 120_000);

  it('a repair that would revoke every license is refused without --allow-mass, and changes nothing', async () => {
    const before = await statuses();
    const valid = before.valid ?? 0;
    expect(valid).toBeGreaterThan(10);
    const refused = await cli('reconcile', PIPELINE, '--repair', '--yes');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('LB_REPAIR_GUARD');
    const count = Number(/--allow-mass (\d+)/.exec(refused.stderr)?.[1]);
    expect(count).toBeGreaterThanOrEqual(valid);
    expect(await statuses()).toEqual(before);

    const wrong = await cli('reconcile', PIPELINE, '--repair', '--yes', '--allow-mass', String(count - 1));
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('does not match');
    expect(await statuses()).toEqual(before);

    const applied = await cli(
      'reconcile',
      PIPELINE,
      '--repair',
      '--yes',
      '--allow-mass',
      String(count),
      '--json',
    );
    expect(applied.stderr).not.toContain('LB_REPAIR_GUARD');
    // Every license in force the source no longer holds is revoked now, as `deletedAtSource:
    // revoke` says (an expired one too); one ended by an act (cancelled) keeps its ending.
    const kept = new Set(['cancelled', 'withdrawn']);
    const expected: Record<string, number> = {};
    for (const [status, n] of Object.entries(before)) {
      const to = kept.has(status) ? status : 'revoked';
      expected[to] = (expected[to] ?? 0) + n;
    }
    expect(expected.revoked).toBeGreaterThan(before.revoked ?? 0);
    expect(await statuses()).toEqual(expected);
  }, 240_000);
});
