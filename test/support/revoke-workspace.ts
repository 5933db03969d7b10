/**
 * A demo workspace under `reconcile.deletedAtSource: revoke` (64 buckets, plus the reconcile
 * settings given), its pipeline run once: the setting under which a repair revokes the licenses
 * whose source rows are gone. The repair tests delete and edit rows of its legacy table.
 * `useRevokeWorkspace` opens one for a test file.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Logger } from '../../core/logger.js';
import type { LedgerLicense } from '../../ledger/audit-types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs, type RepairPlan } from '../../pipelines/reconcile/repair.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import type { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from './demo-workspace.js';
import { type LoneRedis, startLoneRedis } from './redis-servers.js';

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

export interface RevokeFixture {
  /** Read inside the tests and hooks once `beforeAll` has run, as the rest. */
  readonly ws: DemoWorkspace;
  readonly config: Readonly<Config>;
  /** The `redis-server` of the file's own, when asked for (`ownRedis`). */
  readonly redis: LoneRedis;
}

/**
 * That workspace (20 rows, `maxRepairShare: 1`: a repair of one license is never held back),
 * opened before the calling file's tests and cleaned up after them. With `ownRedis` its queues are
 * on a `redis-server` of the file's own, which a test may stop (the shared one is never stopped).
 */
export function useRevokeWorkspace(
  options: { seed: number; ownRedis?: boolean },
  logger: Logger,
): RevokeFixture {
  let opened: RevokeWorkspace | undefined;
  let redis: LoneRedis | undefined;
  beforeAll(async () => {
    if (options.ownRedis) redis = await startLoneRedis();
    const base = { rows: 20, seed: options.seed, reconcile: 'maxRepairShare: 1' };
    opened = await openRevokeWorkspace(redis ? { ...base, redisUrl: redis.url } : base, logger);
  }, 120_000);
  afterAll(async () => {
    await redis?.stop();
    await opened?.ws.cleanup();
  });
  const need = (): RevokeWorkspace => {
    if (!opened) throw new Error('revoke workspace: not opened yet (read outside its tests)');
    return opened;
  };
  return {
    get ws() {
      return need().ws;
    },
    get config() {
      return need().config;
    },
    get redis() {
      if (!redis) throw new Error('revoke workspace: no Redis of its own (ownRedis)');
      return redis;
    },
  };
}

/** Deletes the legacy row of one valid license of the pipeline, and returns that license. */
export async function deleteValidRow(ws: DemoWorkspace, ledger: Ledger): Promise<LedgerLicense> {
  const license = await validLicense(ledger);
  legacySql(ws, `DELETE FROM ${LEGACY_TABLE} WHERE ID = ?`, license.sourceKey);
  return license;
}

/** One valid license of the pipeline. */
export async function validLicense(ledger: Ledger): Promise<LedgerLicense> {
  const [valid] = (await ledger.pipelineLicenses(REVOKE_PIPELINE)).filter((l) => l.status === 'valid');
  if (!valid) throw new Error('a valid license expected');
  return valid;
}

/**
 * Deletes the legacy row of one valid license (`gone`), and plans the repairs a full check finds
 * then: its revocation.
 */
export async function planRevocation(
  rt: Runtime,
  ws: DemoWorkspace,
): Promise<{ ledger: Ledger; gone: LedgerLicense; plan: RepairPlan }> {
  const ledger = await rt.ledger();
  const gone = await deleteValidRow(ws, ledger);
  return { ledger, gone, plan: await planRepairsNow(rt) };
}

/** The repairs a full check of the pipeline finds now. */
export async function planRepairsNow(rt: Runtime): Promise<RepairPlan> {
  return planRepairs(rt, await reconcilePipeline(rt, { pipeline: REVOKE_PIPELINE }));
}
