// `sign backfill` killed with SIGKILL halfway and run again ends with exactly one signature per
// version; `verify --all` passes, then flags a ledger row altered by hand; `sign resign` adds a
// second seal's signatures and keeps the first.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignWorkspace, runCli, type SignWorkspace, seedVersions } from './sign-workspace.js';

// The kill comes after 10 pages of 50; the rerun then signs the rest in more than one of its
// pages of 250, and verify reads several of its pages of 500 (1-500, 501-1000, 1001-1100). What
// is checked depends on the count of pages, not on their size: with the default pages of 1000 the
// same needed 2100 versions, each signed once and verified twice.
const COUNT = 1100;
const KILLED_AFTER_PAGES = 10;

describe('sign backfill, verify and resign on the CLI', () => {
  let ws: SignWorkspace;
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, COUNT);
  });
  afterAll(() => ws.cleanup());

  const count = (sql: string): number => {
    const db = new Database(ws.ledgerFile, { readonly: true });
    try {
      return (db.prepare(sql).get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('resumes after SIGKILL and signs every version exactly once', async () => {
    // The CLI kills itself right after recording its 10th page (core/crash-point.ts): a crash at
    // an exact place, where polling the ledger from outside raced the run to it.
    process.env.LICBRIDGE_TEST_CRASH_AT = `sign-page-recorded:${KILLED_AFTER_PAGES}`;
    const killed = await runCli([
      'sign',
      'backfill',
      '--page-size',
      '50',
      '--json',
      '--config',
      ws.configFile,
    ]).finally(() => {
      delete process.env.LICBRIDGE_TEST_CRASH_AT;
    });
    expect(killed.signal).toBe('SIGKILL');
    // 10 pages of 50 written; the page signed meanwhile is lost with the process.
    const afterKill = count('select count(*) as n from signatures');
    expect(afterKill).toBe(KILLED_AFTER_PAGES * 50);

    const again = await runCli([
      'sign',
      'backfill',
      '--page-size',
      '250',
      '--json',
      '--config',
      ws.configFile,
    ]);
    expect(again.stderr).not.toMatch(/error/i);
    expect(again.status).toBe(0);
    const summary = JSON.parse(again.stdout) as { signed: number; remaining: number };
    expect(summary.signed).toBe(COUNT - afterKill);
    expect(summary.remaining).toBe(0);
    expect(count('select count(*) as n from signatures')).toBe(COUNT);
    expect(count('select count(distinct version_id) as n from signatures')).toBe(COUNT);
    expect(
      count(
        'select count(*) as n from license_versions v where not exists (select 1 from signatures s where s.version_id = v.version_id)',
      ),
    ).toBe(0);

    // Idempotent: a third run signs nothing.
    const third = await runCli(['sign', 'backfill', '--json', '--config', ws.configFile]);
    expect((JSON.parse(third.stdout) as { signed: number }).signed).toBe(0);
  });

  it('verify --all passes, then names a license altered in the ledger by hand', async () => {
    const ok = await runCli(['verify', '--all', '--json', '--config', ws.configFile]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ versions: COUNT, signatures: COUNT, failed: 0, ok: true });

    const db = new Database(ws.ledgerFile);
    const row = db
      .prepare('select version_id, license_id, payload from license_versions where version_id = 734')
      .get() as {
      license_id: string;
      payload: string;
    };
    const payload = JSON.parse(row.payload) as { validTo: string | null };
    payload.validTo = '2099-12-31';
    db.prepare('update license_versions set payload = ? where version_id = 734').run(JSON.stringify(payload));
    db.close();

    const bad = await runCli(['verify', '--all', '--config', ws.configFile]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`FAIL ${row.license_id} v1 (seal 3702110000001)`);
    expect(bad.stdout).toMatch(/digest mismatch/);
    expect(bad.stdout).toMatch(/1 version\(s\) failed/);
  });

  it('resign --seal adds signatures under a new seal and keeps the old ones', async () => {
    const res = await runCli([
      'sign',
      'resign',
      '--seal',
      'new-seal',
      '--limit',
      '200',
      '--json',
      '--config',
      ws.configFile,
    ]);
    expect(res.status).toBe(0);
    expect((JSON.parse(res.stdout) as { signed: number }).signed).toBe(200);
    expect(count("select count(*) as n from signatures where seal_id = '3702110000002'")).toBe(200);
    expect(count("select count(*) as n from signatures where seal_id = '3702110000001'")).toBe(COUNT);
    const license = await runCli([
      'verify',
      '--license',
      '1.2.156.3005.2.11370200MB1234567X001.11370211MB12345672.food-business-licenses00000007',
      '--json',
      '--config',
      ws.configFile,
    ]);
    expect(JSON.parse(license.stdout)).toMatchObject({ versions: 1, signatures: 2, ok: true });
  });
});
