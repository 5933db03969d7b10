/**
 * The rules' deadlines trip `licbridge status` (exit 3, one line each) on the right working day and
 * not before, with `--today` pinning the day judged. Expected days come from the State Council
 * General Office's notice on the 2026 holidays (《国务院办公厅关于2026年部分节假日安排的通知》,
 * 2025-11-04): 春节 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班; 中秋节 9月25日至27日;
 * 国庆节 10月1日至7日放假，10月10日（周六）上班.
 *   backlog, 3 working days, change read Thu 12 Feb (Beijing): Fri 13, Sat 14, Tue 24 → due 24 Feb,
 *     overdue by 1 on Wed 25 Feb, by 4 on Sat 28 Feb (a working Saturday);
 *   objection, 5 working days, opened Thu 24 Sep: Mon 28, Tue 29, Wed 30, Thu 8, Fri 9 Oct → due
 *     9 Oct, overdue by 1 on Sat 10 Oct (a working Saturday).
 * Needs Redis and the demo workspace.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge, quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';

describe('deadlines in status', { timeout: 240_000 }, () => {
  let ws: DemoWorkspace;
  let ledgerFile: string;
  const cli = (...args: string[]) =>
    licbridge([...args, '--config', ws.configFile], { LICBRIDGE_ACTOR: 'clerk-7' });
  const status = (today: string) => cli('status', '--no-sources', '--today', today);
  const ledgerSql = <T>(work: (db: Database.Database) => T): T => {
    const db = new Database(ledgerFile);
    try {
      return work(db);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 30 });
    ledgerFile = join(ws.dir, 'data', 'ledger.db');
    const config = await loadConfig({ file: ws.configFile, env: {} });
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('all delivered: no deadline line, exit 0', async () => {
    const r = await status('2026-02-25');
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain(
      'deadlines (2026-02-25, Asia/Shanghai): changes accepted within 3 working days, none late',
    );
  });

  it('backlog: a change read on 12 February is late from 25 February, across the Spring Festival', async () => {
    // Three versions the platform has not accepted yet, read at 10:00 Beijing time on Thu 12 Feb.
    const ids = ledgerSql((db) => {
      const rows = db
        .prepare('SELECT version_id FROM license_versions ORDER BY version_id LIMIT 3')
        .all() as {
        version_id: number;
      }[];
      const list = rows.map((r) => r.version_id);
      const marks = list.map(() => '?').join(',');
      db.prepare(`UPDATE license_versions SET created_at = ? WHERE version_id IN (${marks})`).run(
        '2026-02-12T02:00:00.000Z',
        ...list,
      );
      db.prepare(`UPDATE deliveries SET state = 'pending' WHERE version_id IN (${marks})`).run(...list);
      return list;
    });
    expect(ids).toHaveLength(3);

    // Monday-to-Friday counting would call it late on Wed 18 Feb; inside the holiday it is not.
    // (Held by no job, the versions are named as unqueued from the first day: another line, and
    // `status` exits 3 for it; the deadline's own line and kind are what is judged here.)
    for (const day of ['2026-02-18', '2026-02-23', '2026-02-24']) {
      const r = await cli('status', '--no-sources', '--today', day, '--json');
      const report = JSON.parse(r.stdout);
      expect(report.attentionByKind['backlog-overdue'], day).toBe(0);
      expect(report.deadlines.backlog.overdue, day).toEqual([]);
      expect((await status(day)).stdout).not.toContain('art. 10');
    }
    const late = await status('2026-02-25');
    expect(late.status).toBe(3);
    expect(late.stdout).toContain(
      'pipeline food-business-licenses: 3 change(s) not accepted by province within 3 working days (rules art. 10); the oldest, read 2026-02-12 10:00 +08:00, is overdue by 1 working day(s)',
    );
    const saturday = await status('2026-02-28');
    expect(saturday.status).toBe(3);
    expect(saturday.stdout).toContain('is overdue by 4 working day(s)');

    const json = await cli('status', '--no-sources', '--today', '2026-02-25', '--json');
    const report = JSON.parse(json.stdout);
    expect(report.attentionByKind['backlog-overdue']).toBe(1);
    expect(report.deadlines.backlog.overdue).toEqual([
      { pipeline: PIPELINE, target: 'province', count: 3, oldest: '2026-02-12T02:00:00.000Z', overdueBy: 1 },
    ]);

    // Accepted at last: the line goes.
    ledgerSql((db) =>
      db
        .prepare(
          `UPDATE deliveries SET state = 'accepted' WHERE version_id IN (${ids.map(() => '?').join(',')})`,
        )
        .run(...ids),
    );
    expect((await status('2026-02-28')).status).toBe(0);
  });

  it('objections: opened 24 September, late on Saturday 10 October, every step audited', async () => {
    const { licenseId } = ledgerSql(
      (db) =>
        db.prepare('SELECT license_id AS licenseId FROM licenses ORDER BY license_id LIMIT 1').get() as {
          licenseId: string;
        },
    );
    // A missing evidence file is named by what went wrong only: its name may name a person.
    const missing = await cli(
      'objection',
      'open',
      licenseId,
      '--unit',
      'u',
      '--reason',
      'r',
      '--evidence',
      join(ws.dir, '张三身份证.jpg'),
    );
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('objection: the evidence file cannot be read (ENOENT)');
    expect(missing.stderr).not.toContain('张三');
    const evidence = join(ws.dir, 'scan.bin');
    const bytes = Buffer.from('a scan of the paper license, with a holder name in it');
    await writeFile(evidence, bytes);
    const opened = await cli(
      'objection',
      'open',
      licenseId,
      '--unit',
      '某街道便民服务中心',
      '--reason',
      '经营场所与纸质证照不一致',
      '--evidence',
      evidence,
      '--json',
    );
    expect(opened.status, opened.stderr).toBe(0);
    const o = JSON.parse(opened.stdout);
    // SM3 by OpenSSL, not by the code under test.
    expect(o.evidence).toEqual({ sm3: createHash('sm3').update(bytes).digest('hex'), size: bytes.length });
    expect(o.openedBy).toBe('operator:clerk-7');

    ledgerSql((db) =>
      db
        .prepare('UPDATE objections SET opened_at = ? WHERE objection_id = ?')
        .run('2026-09-24T03:00:00.000Z', o.objectionId),
    );
    const onTime = await status('2026-10-09');
    expect(onTime.status, onTime.stdout).toBe(0);
    expect(onTime.stdout).toContain('objections 1 open, 0 past 5 working days');
    const late = await status('2026-10-10');
    expect(late.status).toBe(3);
    expect(late.stdout).toContain(
      'objections: 1 open past 5 working days (rules art. 16); the oldest, opened 2026-09-24 11:00 +08:00, is overdue by 1 working day(s)',
    );

    const list = (today: string) => cli('objection', 'list', '--overdue', '--today', today, '--json');
    expect(JSON.parse((await list('2026-10-09')).stdout)).toEqual([]);
    const overdue = JSON.parse((await list('2026-10-10')).stdout);
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ objectionId: o.objectionId, dueOn: '2026-10-09', overdueBy: 1 });
    // Without --today the day is the tick's: LICBRIDGE_TODAY when pinned, as `lifecycle run` takes it.
    const pinned = (day: string) =>
      licbridge(['objection', 'list', '--overdue', '--json', '--config', ws.configFile], {
        LICBRIDGE_TODAY: day,
      });
    expect(JSON.parse((await pinned('2026-10-09')).stdout)).toEqual([]);
    expect(JSON.parse((await pinned('2026-10-10')).stdout)).toHaveLength(1);
    // So does status without --today, though it reads the wall clock for the rest of its report: a
    // pinned demo sees the deadline trip on the day `lifecycle run` takes for today, not before.
    const pinnedStatus = (day: string) =>
      licbridge(['status', '--no-sources', '--config', ws.configFile], { LICBRIDGE_TODAY: day });
    const pinnedOnTime = await pinnedStatus('2026-10-09');
    expect(pinnedOnTime.status, pinnedOnTime.stdout).toBe(0);
    expect(pinnedOnTime.stdout).toContain('deadlines (2026-10-09, Asia/Shanghai)');
    expect(pinnedOnTime.stdout).toContain('objections 1 open, 0 past 5 working days');
    const pinnedLate = await pinnedStatus('2026-10-10');
    expect(pinnedLate.status).toBe(3);
    expect(pinnedLate.stdout).toContain(
      'objections: 1 open past 5 working days (rules art. 16); the oldest, opened 2026-09-24 11:00 +08:00, is overdue by 1 working day(s)',
    );

    const text = await cli('objection', 'list');
    expect(text.stdout).toContain('某街道便民服务中心: 经营场所与纸质证照不一致');

    const bad = await cli('objection', 'resolve', String(o.objectionId), '--note', 'x');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('give exactly one of `--upheld` and `--rejected`');

    const rejected = await cli(
      'objection',
      'resolve',
      String(o.objectionId),
      '--rejected',
      '--note',
      '经核查与档案一致',
    );
    expect(rejected.status, rejected.stderr).toBe(0);
    expect(rejected.stdout).toContain(`objection ${o.objectionId} rejected; the reply is recorded`);
    expect((await status('2026-10-12')).status).toBe(0);
    const again = await cli('objection', 'resolve', String(o.objectionId), '--upheld', '--note', 'y');
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('is already rejected');

    const audit = ledgerSql(
      (db) =>
        db
          .prepare(
            "SELECT actor, detail FROM audit_log WHERE action = 'objection' AND license_id = ? ORDER BY seq",
          )
          .all(licenseId) as { actor: string; detail: string }[],
    );
    expect(audit.map((a) => [a.actor, JSON.parse(a.detail).step])).toEqual([
      ['operator:clerk-7', 'open'],
      ['operator:clerk-7', 'rejected'],
    ]);
    for (const words of ['街道', '经营场所', '档案']) expect(JSON.stringify(audit)).not.toContain(words);
  });

  it('upheld: the corrected source row goes out as a new version; an uncorrected source keeps it open', async () => {
    const { licenseId, sourceKey } = ledgerSql(
      (db) =>
        db
          .prepare(
            'SELECT license_id AS licenseId, source_key AS sourceKey FROM licenses ORDER BY license_id LIMIT 1 OFFSET 1',
          )
          .get() as { licenseId: string; sourceKey: string },
    );
    const opened = JSON.parse(
      (await cli('objection', 'open', licenseId, '--unit', 'u', '--reason', 'the address is wrong', '--json'))
        .stdout,
    );
    const unchanged = await cli(
      'objection',
      'resolve',
      String(opened.objectionId),
      '--upheld',
      '--note',
      'checked',
    );
    expect(unchanged.status).not.toBe(0);
    expect(unchanged.stderr).toContain(`objection: ${opened.objectionId} stays open`);

    const legacy = new Database(ws.legacyDb);
    try {
      legacy
        .prepare('UPDATE T_SPXK_XKZ SET JYCS = ? WHERE ID = ?')
        .run('青岛市黄岛区长江中路1号（更正）', Number(sourceKey));
    } finally {
      legacy.close();
    }
    const upheld = await cli(
      'objection',
      'resolve',
      String(opened.objectionId),
      '--upheld',
      '--note',
      'address corrected',
      '--json',
    );
    expect(upheld.status, upheld.stderr).toBe(0);
    const resolved = JSON.parse(upheld.stdout);
    expect(resolved).toMatchObject({ state: 'upheld', versionAtOpen: 1, correctedVersion: 2 });
    const delivered = ledgerSql(
      (db) =>
        db
          .prepare(
            "SELECT d.state FROM deliveries d JOIN license_versions v ON v.version_id = d.version_id WHERE v.license_id = ? AND v.version = 2 AND d.target = 'province'",
          )
          .get(licenseId) as { state: string } | undefined,
    );
    expect(delivered?.state).toBe('accepted');
  });
});
