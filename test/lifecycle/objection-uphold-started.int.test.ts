/**
 * An uphold is in the audit chain before its re-read writes the correction (rules art. 16, every
 * act logged): a process that dies once the re-read has written the corrected version — before
 * the decision, or the attempt of a failed one, reaches the ledger — leaves an `objection-attempt`
 * entry (`started`) naming the uphold, beside the correction's own entry. The same uphold run
 * again completes it: upheld, naming the version the first run wrote.
 * Needs Redis (the re-read) and the demo workspace.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { ResolveObjectionInput } from '../../ledger/objections.js';
import { upholdObjection } from '../../pipelines/lifecycle/objection-uphold.js';
import { openObjectionFor } from '../../pipelines/lifecycle/objections.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace;
let config: Readonly<Config>;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 20 });
  config = await loadConfig({ file: ws.configFile, env: {} });
  await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
}, 120_000);
afterAll(async () => ws?.cleanup());

const ledgerSql = <T>(work: (db: Database.Database) => T): T => {
  const db = new Database(join(ws.dir, 'data', 'ledger.db'));
  try {
    return work(db);
  } finally {
    db.close();
  }
};

/** The objection entries about `licenseId`: each `step`, or `result` of an attempt. */
const decisions = (licenseId: string) =>
  ledgerSql(
    (db) =>
      db
        .prepare(
          "SELECT action, detail FROM audit_log WHERE action IN ('objection', 'objection-attempt') AND license_id = ? ORDER BY seq",
        )
        .all(licenseId) as { action: string; detail: string }[],
  ).map((r) => {
    const detail = JSON.parse(r.detail) as { step?: string; result?: string; decision?: string };
    return `${r.action}:${detail.step ?? `${detail.decision}/${detail.result}`}`;
  });

class Killed extends Error {}

it('an uphold that dies after its re-read wrote the correction is named in the chain, and run again completes', {
  timeout: 180_000,
}, async () => {
  const lic = ledgerSql(
    (db) =>
      db
        .prepare(
          "SELECT license_id AS id, source_key AS sourceKey FROM licenses WHERE status = 'valid' AND latest_version = 1 ORDER BY license_id LIMIT 1",
        )
        .get() as { id: string; sourceKey: string },
  );
  const { objection } = await openObjectionFor(config, { licenseId: lic.id, unit: 'u', reason: 'r' });
  // The department corrected the row in its business system.
  const legacy = new Database(ws.legacyDb);
  try {
    legacy
      .prepare('UPDATE T_SPXK_XKZ SET JYCS = ? WHERE ID = ?')
      .run('青岛市黄岛区香江路9号（更正）', Number(lic.sourceKey));
  } finally {
    legacy.close();
  }

  const rt = new Runtime(config, quietLogger());
  let failure: unknown;
  try {
    const ledger = await rt.ledger();
    // The process dies when the uphold reads back what its re-read wrote: from then on nothing
    // of it reaches the ledger, as after a kill.
    let dead = false;
    const versionPage = ledger.versionPage.bind(ledger);
    ledger.versionPage = async (query) => {
      if (query.licenseIds?.includes(lic.id)) {
        dead = true;
        throw new Killed('killed');
      }
      return versionPage(query);
    };
    const resolve = ledger.resolveObjection.bind(ledger);
    ledger.resolveObjection = async (input: ResolveObjectionInput) => {
      if (dead) throw new Killed('killed');
      return resolve(input);
    };
    failure = await upholdObjection(rt, objection.objectionId, 'corrected', { logger: quietLogger() }).then(
      () => undefined,
      (e: unknown) => e,
    );
  } finally {
    await rt.close();
  }
  expect(failure).toBeInstanceOf(Error);
  // The re-read wrote the correction as version 2; the chain names the uphold that wrote it.
  const versions = () =>
    ledgerSql(
      (db) =>
        (
          db.prepare('SELECT COUNT(*) AS n FROM license_versions WHERE license_id = ?').get(lic.id) as {
            n: number;
          }
        ).n,
    );
  expect(versions()).toBe(2);
  expect(decisions(lic.id)).toEqual(['objection:open', 'objection-attempt:upheld/started']);

  // Run again, the uphold completes: the re-read writes nothing new, the decision names version 2.
  const again = new Runtime(config, quietLogger());
  try {
    const upheld = await upholdObjection(again, objection.objectionId, 'corrected', {
      logger: quietLogger(),
    });
    expect(upheld).toMatchObject({ state: 'upheld', correctedVersion: 2 });
  } finally {
    await again.close();
  }
  expect(versions()).toBe(2);
  expect(decisions(lic.id)).toEqual([
    'objection:open',
    'objection-attempt:upheld/started',
    'objection-attempt:upheld/started',
    'objection:upheld',
  ]);
});
