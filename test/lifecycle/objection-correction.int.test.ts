/**
 * An objection is upheld only by a version that corrects the license: the tick expiring it (or a
 * suspension, a resumption) changes its status, not what was objected to, and leaves the
 * objection open; the corrected source row, read after the expiry, upholds it. Needs Redis and
 * the demo workspace.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { openObjectionFor, upholdObjectionFor } from '../../pipelines/lifecycle/objections.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace;
const savedToday = process.env.LICBRIDGE_TODAY;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 10 });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
}, 120_000);
afterAll(async () => {
  if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
  else process.env.LICBRIDGE_TODAY = savedToday;
  await ws?.cleanup();
});

const ledgerSql = <T>(work: (db: Database.Database) => T): T => {
  const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
};

it('the expiry tick does not uphold an objection; the corrected source row does', {
  timeout: 180_000,
}, async () => {
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const lic = ledgerSql(
    (db) =>
      db
        .prepare(
          "SELECT license_id AS id, source_key AS sourceKey, valid_to AS validTo FROM licenses WHERE status = 'valid' AND valid_to IS NOT NULL ORDER BY valid_to LIMIT 1",
        )
        .get() as { id: string; sourceKey: string; validTo: string },
  );
  const { objection } = await openObjectionFor(config, {
    licenseId: lic.id,
    unit: 'u',
    reason: 'the address is wrong',
  });
  const d = new Date(`${lic.validTo}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  const dayAfter = d.toISOString().slice(0, 10);
  process.env.LICBRIDGE_TODAY = dayAfter; // the tick and the mapper agree on the day
  await runLifecycle(config, { today: dayAfter, logger: quietLogger(), pipelines: [PIPELINE] });
  const versions = () =>
    ledgerSql((db) =>
      db
        .prepare('SELECT version, operation FROM license_versions WHERE license_id = ? ORDER BY version')
        .all(lic.id),
    );
  expect(versions()).toEqual([
    { version: 1, operation: 'issue' },
    { version: 2, operation: 'expire' },
  ]);

  // The source row is unchanged: the objection stays open.
  const unchanged = await upholdObjectionFor(config, objection.objectionId, 'checked', quietLogger()).then(
    () => 'upheld',
    (e: Error) => e.message,
  );
  expect(unchanged).toContain(`objection: ${objection.objectionId} stays open`);
  expect(
    ledgerSql((db) =>
      db.prepare('SELECT state FROM objections WHERE objection_id = ?').get(objection.objectionId),
    ),
  ).toEqual({
    state: 'open',
  });

  // The department corrects the row: its next version (still expired) upholds the objection.
  const legacy = new Database(ws.legacyDb);
  try {
    legacy
      .prepare('UPDATE T_SPXK_XKZ SET JYCS = ? WHERE ID = ?')
      .run('青岛市黄岛区长江中路1号（更正）', Number(lic.sourceKey));
  } finally {
    legacy.close();
  }
  const upheld = await upholdObjectionFor(config, objection.objectionId, 'address corrected', quietLogger());
  expect(upheld).toMatchObject({ state: 'upheld', versionAtOpen: 1, correctedVersion: 3 });
  expect(versions()).toEqual([
    { version: 1, operation: 'issue' },
    { version: 2, operation: 'expire' },
    { version: 3, operation: 'update' },
  ]);
});
