/**
 * A demo workspace under `reconcile.deletedAtSource: revoke` (64 buckets, plus the reconcile
 * settings given), its pipeline run once: the setting under which a repair revokes the licenses
 * whose source rows are gone. The repair tests delete and edit rows of its legacy table.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Logger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from './demo-workspace.js';

export const REVOKE_PIPELINE = 'food-business-licenses';
/** The demo's legacy table, keyed by `ID` (a license's source key). */
export const LEGACY_TABLE = 'T_SPXK_XKZ';

export interface RevokeWorkspace {
  ws: DemoWorkspace;
  config: Readonly<Config>;
}

export async function openRevokeWorkspace(
  options: {
    rows: number;
    seed: number;
    /** More of the `reconcile` section, as YAML flow entries (`maxRepairShare: 1`). */
    reconcile?: string;
    /** Another Redis than the shared one (a test that stops it). */
    redisUrl?: string;
  },
  logger: Logger,
): Promise<RevokeWorkspace> {
  const ws = await createDemoWorkspace(options);
  let yaml = await readFile(ws.configFile, 'utf8');
  if (options.redisUrl) yaml = yaml.replace('redis://127.0.0.1:6379', options.redisUrl);
  const more = options.reconcile ? `, ${options.reconcile}` : '';
  await writeFile(ws.configFile, `${yaml}reconcile: { buckets: 64, deletedAtSource: revoke${more} }\n`);
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const [s] = await runPipelines(config, { pipelines: [REVOKE_PIPELINE], full: false, logger });
  expect(s?.state).toBe('done');
  return { ws, config };
}

/** Runs `sql` on the workspace's legacy database with `params`. */
export function legacySql(ws: DemoWorkspace, sql: string, ...params: unknown[]): void {
  const db = new Database(ws.legacyDb);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}
