/**
 * The quarantine re-read tests (quarantine-recheck-*.int.test.ts): a demo workspace on the SQLite
 * or the PostgreSQL ledger, and what they look at after a run — the pipeline's open quarantine, its
 * licenses and what the province platform accepted.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import type { Backend } from '../ledger/backends.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

export const PIPELINE = 'food-business-licenses';
export const silent = createLogger({ level: 'silent' });

export interface PipelineState {
  /** Open quarantine: [source key, its reasons' distinct codes]. */
  open: [string, string[]][];
  /** Licenses by source key: their latest version's number, identifier and previousIdentifier. */
  licenses: Map<string, { licenseId: string; identifier: string; previous: string | undefined }>;
  /** License ids the province simulator accepted. */
  delivered: Set<string>;
}

/** A demo workspace of six rows whose config names a ledger of `backend`; `cleanup` drops both. */
export interface RecheckWorkspace extends DemoWorkspace {
  ledgerUrl: string;
}

export async function recheckWorkspace(backend: Backend): Promise<RecheckWorkspace> {
  const ws = await createDemoWorkspace({ rows: 6, seed: 3 });
  if (backend.name === 'sqlite') return { ...ws, ledgerUrl: `sqlite://${ws.dir}/data/ledger.db` };
  const database = await backend.create();
  const yaml = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, yaml.replace('sqlite://./data/ledger.db', database.url));
  return {
    ...ws,
    ledgerUrl: database.url,
    async cleanup() {
      await ws.cleanup();
      await database.dispose();
    },
  };
}

/**
 * The workspaces the tests of the describe block this is called in make: `keep` one as it is made,
 * and it is cleaned up (its ledger database too) after its test.
 */
export function workspacesPerTest(): { keep(ws: RecheckWorkspace): RecheckWorkspace } {
  const made: RecheckWorkspace[] = [];
  afterEach(async () => {
    for (const ws of made.splice(0)) await ws.cleanup();
  });
  return {
    keep(ws) {
      made.push(ws);
      return ws;
    },
  };
}

/** The mapping's dates read in `formats` (`yyyyMMdd` and others: the mapping fixed or changed); the config read again. */
export async function mappingDates(ws: RecheckWorkspace, formats: string): Promise<Readonly<Config>> {
  const file = join(ws.dir, 'mappings', 'food-business-license.yaml');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replaceAll('{ date: [yyyyMMdd] }', `{ date: [${formats}] }`));
  return loadConfig({ file: ws.configFile, env: {} });
}

export async function pipelineState(ws: RecheckWorkspace): Promise<PipelineState> {
  const ledger = await openLedger(ws.ledgerUrl, { logger: silent });
  try {
    const q = await ledger.openQuarantine({ pipeline: PIPELINE });
    const rows = await ledger.pipelineLicenses(PIPELINE);
    const versions = await ledger.getVersions(rows.map((r) => r.versionId));
    const byId = new Map(versions.map((v) => [v.versionId, v]));
    const licenses: PipelineState['licenses'] = new Map();
    for (const r of rows) {
      const v = byId.get(r.versionId);
      if (!v) continue;
      licenses.set(r.sourceKey, {
        licenseId: v.licenseId,
        identifier: v.identifier,
        previous: v.payload.previousIdentifier,
      });
    }
    return {
      open: q.map((e) => [e.sourceKey, [...new Set(e.reasons.map((r) => r.code))]]),
      licenses,
      delivered: new Set(ws.simulator.licenses().map((l) => l.licenseId)),
    };
  } finally {
    await ledger.close();
  }
}

/** A workspace keyed by license number, row 2 holding row 1's number and update time. */
export async function duplicated(
  backend: Backend,
  indexed = true,
): Promise<{ ws: RecheckWorkspace; config: Readonly<Config>; key: string }> {
  const ws = await recheckWorkspace(backend);
  const db = new Database(ws.legacyDb);
  const one = db.prepare('SELECT XKZBH, GXSJ FROM T_SPXK_XKZ WHERE ID = 1').get() as {
    XKZBH: string;
    GXSJ: string;
  };
  db.prepare('UPDATE T_SPXK_XKZ SET XKZBH = ?, GXSJ = ? WHERE ID = 2').run(one.XKZBH, one.GXSJ);
  // Keys are read again by key only where the key column leads an index (connectors/sql/keyed-reads.ts).
  if (indexed) db.prepare('CREATE INDEX IX_T_SPXK_XKZ_XKZBH ON T_SPXK_XKZ (XKZBH)').run();
  db.close();
  const yaml = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, yaml.replace('key: ID', 'key: XKZBH'));
  return { ws, config: await loadConfig({ file: ws.configFile, env: {} }), key: one.XKZBH.trim() };
}
