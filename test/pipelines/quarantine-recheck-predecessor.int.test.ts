/**
 * A renewal quarantined `LB_PREDECESSOR_UNKNOWN` is read again, by key, once the license it names
 * is in the ledger: its own cursor never moves, so the checkpoint alone never brings it back.
 * (a) the first read of existing licenses meets the renewal in an earlier page than its predecessor
 * (the old license's row was updated after the renewal was entered); (b) the predecessor's own row
 * was quarantined and fixed at the source later.
 */

import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { BACKENDS } from '../ledger/backends.js';
import {
  PIPELINE,
  pipelineState,
  recheckWorkspace,
  silent,
  workspacesPerTest,
} from './quarantine-recheck-fixture.js';

describe.each(BACKENDS)('a renewal read before its predecessor is issued ($name)', (backend) => {
  const workspaces = workspacesPerTest();

  it('in the same run, when the predecessor comes in a later page', async () => {
    const ws = workspaces.keep(await recheckWorkspace(backend));
    const db = new Database(ws.legacyDb);
    const one = db.prepare('SELECT XKZBH FROM T_SPXK_XKZ WHERE ID = 1').get() as { XKZBH: string };
    db.prepare("UPDATE T_SPXK_XKZ SET ZT = '1', YXQZ = '20991231' WHERE ID IN (1, 2)").run();
    // Row 2 renews row 1; row 1 was touched after row 2 was written, so it is read in a later page.
    db.prepare('UPDATE T_SPXK_XKZ SET YZSBH = ?, GXSJ = ? WHERE ID = 2').run(
      one.XKZBH,
      '2001-01-01 00:00:00.000000',
    );
    db.prepare('UPDATE T_SPXK_XKZ SET GXSJ = ? WHERE ID = 1').run('2025-06-01 00:00:00.000000');
    db.close();
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, yaml.replace('pageSize: 100', 'pageSize: 2'));
    const config = await loadConfig({ file: ws.configFile, env: {} });

    const [first] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    expect(first?.state).toBe('done');
    const after = await pipelineState(ws);
    expect(after.open).toEqual([]);
    const renewal = after.licenses.get('2');
    const predecessor = after.licenses.get('1');
    expect(predecessor).toBeDefined();
    expect(renewal?.previous).toBe(predecessor?.identifier);
    // Signed and delivered as any page's license.
    expect(after.delivered.has(renewal?.licenseId ?? '')).toBe(true);
    expect(after.licenses.size).toBe(6);

    // The next run has nothing to read again: nothing is open.
    const [second] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    expect(second).toMatchObject({ read: 0, created: 0, quarantined: 0 });
  }, 120_000);

  it('at the next run, when the predecessor was quarantined and fixed at the source', async () => {
    const ws = workspaces.keep(await recheckWorkspace(backend));
    const db = new Database(ws.legacyDb);
    const one = db.prepare('SELECT XKZBH, FZRQ FROM T_SPXK_XKZ WHERE ID = 1').get() as {
      XKZBH: string;
      FZRQ: string;
    };
    db.prepare("UPDATE T_SPXK_XKZ SET ZT = '1', YXQZ = '20991231' WHERE ID IN (1, 2)").run();
    db.prepare("UPDATE T_SPXK_XKZ SET FZRQ = '2021.3.15' WHERE ID = 1").run();
    db.prepare('UPDATE T_SPXK_XKZ SET YZSBH = ? WHERE ID = 2').run(one.XKZBH);
    db.close();
    const config = await loadConfig({ file: ws.configFile, env: {} });

    const [first] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    expect(first?.quarantined).toBe(2);
    expect((await pipelineState(ws)).open).toEqual([
      ['1', ['LB_MAP_DATE']],
      ['2', ['LB_PREDECESSOR_UNKNOWN']],
    ]);

    // The department fixes row 1's date; row 2 is not touched.
    const fix = new Database(ws.legacyDb);
    fix
      .prepare("UPDATE T_SPXK_XKZ SET FZRQ = ?, GXSJ = '2026-06-01 00:00:00.000000' WHERE ID = 1")
      .run(one.FZRQ);
    fix.close();
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    const after = await pipelineState(ws);
    expect(after.open).toEqual([]);
    expect(after.licenses.get('2')?.previous).toBe(after.licenses.get('1')?.identifier);
    expect(after.delivered.has(after.licenses.get('2')?.licenseId ?? '')).toBe(true);
  }, 120_000);

  it('by the next run, when the predecessor was issued by the re-read page itself', async () => {
    const ws = workspaces.keep(await recheckWorkspace(backend));
    const db = new Database(ws.legacyDb);
    const one = db.prepare('SELECT XKZBH, GXSJ FROM T_SPXK_XKZ WHERE ID = 1').get() as {
      XKZBH: string;
      GXSJ: string;
    };
    db.prepare("UPDATE T_SPXK_XKZ SET ZT = '1', YXQZ = '20991231' WHERE ID IN (1, 2)").run();
    // Row 1 (the predecessor) is duplicated by row 3; row 2 renews it. All in one page.
    db.prepare('UPDATE T_SPXK_XKZ SET XKZBH = ?, GXSJ = ? WHERE ID = 3').run(one.XKZBH, one.GXSJ);
    db.prepare("UPDATE T_SPXK_XKZ SET YZSBH = ?, XKZBH = 'JY23702118888888' WHERE ID = 2").run(one.XKZBH);
    db.prepare('CREATE INDEX IX_T_SPXK_XKZ_XKZBH ON T_SPXK_XKZ (XKZBH)').run();
    db.close();
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, yaml.replace('key: ID', 'key: XKZBH'));
    const config = await loadConfig({ file: ws.configFile, env: {} });
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    // The twin is deleted: no cursor moves, and the re-read page of the next run issues row 1.
    const fix = new Database(ws.legacyDb);
    fix.prepare('DELETE FROM T_SPXK_XKZ WHERE ID = 3').run();
    fix.close();
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    const after = await pipelineState(ws);
    expect(after.open).toEqual([]);
    const predecessor = after.licenses.get(one.XKZBH.trim());
    expect(after.licenses.get('JY23702118888888')?.previous).toBe(predecessor?.identifier);
  }, 120_000);
});
