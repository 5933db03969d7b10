/**
 * The demo workspace the objection tests share: its pipeline run once, its ledger read with SQL,
 * a license picked to object to, its source row corrected, and the objection's entries in the
 * audit chain. Needs Redis (the first run).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

export const PIPELINE = 'food-business-licenses';

export interface ObjectionWorkspace {
  ws: DemoWorkspace;
  config: Readonly<Config>;
}

/**
 * A demo workspace of `rows` rows whose pipeline has run once, made before the file's tests and
 * removed after them; its fields are set once they start.
 */
export function objectionWorkspace(rows: number): ObjectionWorkspace {
  const made = {} as ObjectionWorkspace;
  beforeAll(async () => {
    made.ws = await createDemoWorkspace({ rows });
    made.config = await loadConfig({ file: made.ws.configFile, env: {} });
    await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
  }, 120_000);
  afterAll(async () => made.ws?.cleanup());
  return made;
}

/** `work` on the workspace's ledger file, closed after. */
export function ledgerSql<T>(ws: DemoWorkspace, work: (db: Database.Database) => T): T {
  const db = new Database(join(ws.dir, 'data', 'ledger.db'));
  try {
    return work(db);
  } finally {
    db.close();
  }
}

export interface LicenseRef {
  id: string;
  sourceKey: string;
}

/**
 * The first license by id (the last with `last`): by default a valid one at version 1; with
 * `notObjected`, one no objection names yet; with `anyStatus`, whatever its status and version.
 */
export function pickLicense(
  ws: DemoWorkspace,
  options: { last?: boolean; notObjected?: boolean; anyStatus?: boolean } = {},
): LicenseRef {
  const where = [
    ...(options.anyStatus ? [] : ["status = 'valid' AND latest_version = 1"]),
    ...(options.notObjected ? ['license_id NOT IN (SELECT license_id FROM objections)'] : []),
  ];
  const sql = `SELECT license_id AS id, source_key AS sourceKey FROM licenses${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY license_id${options.last ? ' DESC' : ''} LIMIT 1`;
  return ledgerSql(ws, (db) => db.prepare(sql).get() as LicenseRef);
}

/** The department puts `place` in the source row's premises (JYCS); returns what it held. */
export function setPlace(ws: DemoWorkspace, sourceKey: string, place: string): string {
  const legacy = new Database(ws.legacyDb);
  try {
    const before = (
      legacy.prepare('SELECT JYCS FROM T_SPXK_XKZ WHERE ID = ?').get(Number(sourceKey)) as { JYCS: string }
    ).JYCS;
    legacy.prepare('UPDATE T_SPXK_XKZ SET JYCS = ? WHERE ID = ?').run(place, Number(sourceKey));
    return before;
  } finally {
    legacy.close();
  }
}

/** How many versions of `licenseId` the ledger holds. */
export function versionCount(ws: DemoWorkspace, licenseId: string): number {
  return ledgerSql(
    ws,
    (db) =>
      (
        db.prepare('SELECT COUNT(*) AS n FROM license_versions WHERE license_id = ?').get(licenseId) as {
          n: number;
        }
      ).n,
  );
}

export interface ObjectionEntry {
  action: string;
  actor: string;
  digest: string | null;
  detail: Record<string, unknown>;
}

/** The audit chain's `objection` and `objection-attempt` entries about `licenseId`, in order. */
export function objectionAudit(ws: DemoWorkspace, licenseId: string): ObjectionEntry[] {
  return ledgerSql(ws, (db) =>
    (
      db
        .prepare(
          "SELECT action, actor, digest, detail FROM audit_log WHERE action IN ('objection', 'objection-attempt') AND license_id = ? ORDER BY seq",
        )
        .all(licenseId) as { action: string; actor: string; digest: string | null; detail: string }[]
    ).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> })),
  );
}

/** What `work` failed with, or undefined once it succeeds. */
export function failureOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (e: unknown) => e,
  );
}
