/**
 * `licbridge status` warns when an open objection's deadline runs into a year the calendar holds no
 * holiday arrangement for (licbridge ships 2026 only), though today is in a known year: its days are
 * counted Monday to Friday, and the due day may be off. Opened Mon 28 Dec 2026 (Beijing), 5 working
 * days: Tue 29, Wed 30, Thu 31, Fri 1 Jan, Mon 4 Jan 2027. Opened Fri 18 Dec: due Fri 25 Dec, all in
 * 2026. Needs Redis and the demo workspace.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { openObjectionFor } from '../../pipelines/lifecycle/objections.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge, quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const NOTE = 'calendar: no holiday arrangement for 2027';
let ws: DemoWorkspace;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 5 });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
}, 120_000);
afterAll(async () => ws?.cleanup());

it('an objection opened on 28 December names 2027 in status; one due within 2026 does not', {
  timeout: 120_000,
}, async () => {
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const ledgerFile = join(ws.dir, 'data', 'ledger.db');
  const licenseId = (() => {
    const db = new Database(ledgerFile, { readonly: true });
    try {
      return (db.prepare('SELECT license_id AS id FROM licenses LIMIT 1').get() as { id: string }).id;
    } finally {
      db.close();
    }
  })();
  const { objection } = await openObjectionFor(config, { licenseId, unit: 'u', reason: 'r' });
  const openedAt = (iso: string) => {
    const db = new Database(ledgerFile);
    try {
      db.prepare('UPDATE objections SET opened_at = ? WHERE objection_id = ?').run(
        iso,
        objection.objectionId,
      );
    } finally {
      db.close();
    }
  };
  const status = (today: string) =>
    licbridge(['status', '--no-sources', '--today', today, '--config', ws.configFile]);

  openedAt('2026-12-18T02:00:00.000Z');
  const within = await status('2026-12-21');
  expect(within.stdout).toContain('objections 1 open, 0 past 5 working days');
  expect(within.stdout).not.toContain(NOTE);

  openedAt('2026-12-28T02:00:00.000Z');
  const across = await status('2026-12-29');
  expect(across.stdout).toContain('objections 1 open, 0 past 5 working days');
  expect(across.stdout).toContain(NOTE);
  const json = JSON.parse(
    (
      await licbridge([
        'status',
        '--no-sources',
        '--today',
        '2026-12-29',
        '--json',
        '--config',
        ws.configFile,
      ])
    ).stdout,
  );
  expect(json.deadlines.yearsWithoutArrangement).toEqual([2027]);
});
