/**
 * The demo workspace the objection tests share: its pipeline run once, its ledger read with SQL,
 * a license picked and objected to, its source row corrected, and the objection's entries in the
 * audit chain. Needs Redis (the first run).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { StoredObjection } from '../../ledger/objections.js';
import { type UpholdOptions, upholdObjection } from '../../pipelines/lifecycle/objection-uphold.js';
import { openObjectionFor } from '../../pipelines/lifecycle/objections.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

export const PIPELINE = 'food-business-licenses';

export interface LicenseRef {
  id: string;
  sourceKey: string;
}

export interface ObjectionEntry {
  action: string;
  actor: string;
  digest: string | null;
  detail: Record<string, unknown>;
}

/**
 * Which license to pick, the first by id (the last with `last`): by default a valid one at
 * version 1; with `notObjected`, one no objection names yet; with `anyStatus`, whatever its status
 * and version.
 */
export interface PickOptions {
  last?: boolean;
  notObjected?: boolean;
  anyStatus?: boolean;
}

export interface ObjectionWorkspace {
  readonly ws: DemoWorkspace;
  readonly config: Readonly<Config>;
  /** `work` on the workspace's ledger file, closed after. */
  sql<T>(work: (db: Database.Database) => T): T;
  /** The license `options` pick. */
  pickLicense(options?: PickOptions): LicenseRef;
  /** The license `options` pick, with an objection opened against it (unit `u`, reason `r`). */
  objected(options?: PickOptions): Promise<{ license: LicenseRef; objection: StoredObjection }>;
  /** The department puts `place` in the source row's premises (JYCS); returns what it held. */
  setPlace(sourceKey: string, place: string): string;
  /** How many versions of `licenseId` the ledger holds. */
  versionCount(licenseId: string): number;
  /** The audit chain's `objection` and `objection-attempt` entries about `licenseId`, in order. */
  audit(licenseId: string): ObjectionEntry[];
}

/**
 * A demo workspace of `rows` rows whose pipeline has run once, made before the file's tests and
 * removed after them.
 */
export function objectionWorkspace(rows: number): ObjectionWorkspace {
  let ws: DemoWorkspace | undefined;
  let config: Readonly<Config> | undefined;
  const made: ObjectionWorkspace = {
    get ws() {
      if (!ws) throw new Error('objection workspace: not made yet (used outside its tests)');
      return ws;
    },
    get config() {
      if (!config) throw new Error('objection workspace: not made yet (used outside its tests)');
      return config;
    },
    sql(work) {
      const db = new Database(join(made.ws.dir, 'data', 'ledger.db'));
      try {
        return work(db);
      } finally {
        db.close();
      }
    },
    pickLicense(options = {}) {
      const where = [
        ...(options.anyStatus ? [] : ["status = 'valid' AND latest_version = 1"]),
        ...(options.notObjected ? ['license_id NOT IN (SELECT license_id FROM objections)'] : []),
      ];
      const sql = `SELECT license_id AS id, source_key AS sourceKey FROM licenses${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY license_id${options.last ? ' DESC' : ''} LIMIT 1`;
      return made.sql((db) => db.prepare(sql).get() as LicenseRef);
    },
    async objected(options) {
      const license = made.pickLicense(options);
      const { objection } = await openObjectionFor(made.config, {
        licenseId: license.id,
        unit: 'u',
        reason: 'r',
      });
      return { license, objection };
    },
    setPlace(sourceKey, place) {
      const legacy = new Database(made.ws.legacyDb);
      try {
        const before = (
          legacy.prepare('SELECT JYCS FROM T_SPXK_XKZ WHERE ID = ?').get(Number(sourceKey)) as {
            JYCS: string;
          }
        ).JYCS;
        legacy.prepare('UPDATE T_SPXK_XKZ SET JYCS = ? WHERE ID = ?').run(place, Number(sourceKey));
        return before;
      } finally {
        legacy.close();
      }
    },
    versionCount(licenseId) {
      return made.sql(
        (db) =>
          (
            db.prepare('SELECT COUNT(*) AS n FROM license_versions WHERE license_id = ?').get(licenseId) as {
              n: number;
            }
          ).n,
      );
    },
    audit(licenseId) {
      return made.sql((db) =>
        (
          db
            .prepare(
              "SELECT action, actor, digest, detail FROM audit_log WHERE action IN ('objection', 'objection-attempt') AND license_id = ? ORDER BY seq",
            )
            .all(licenseId) as { action: string; actor: string; digest: string | null; detail: string }[]
        ).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> })),
      );
    },
  };
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows });
    config = await loadConfig({ file: ws.configFile, env: {} });
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
  }, 120_000);
  afterAll(async () => ws?.cleanup());
  return made;
}

/** What `work` failed with, or undefined once it succeeds. */
export function failureOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (e: unknown) => e,
  );
}

/**
 * What an uphold of objection `id` with `note` failed with (undefined once it succeeds), run under
 * `config` in a runtime of its own, closed after; `options` beside a quiet logger.
 */
export async function upholdFailure(
  config: Readonly<Config>,
  id: number,
  note: string,
  options: Omit<UpholdOptions, 'logger'> = {},
): Promise<unknown> {
  const rt = new Runtime(config, quietLogger());
  try {
    return await failureOf(upholdObjection(rt, id, note, { logger: quietLogger(), ...options }));
  } finally {
    await rt.close();
  }
}
