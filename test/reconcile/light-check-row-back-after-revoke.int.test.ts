/**
 * A row whose license a repair revoked under `deletedAtSource: revoke` comes back (restored from a
 * backup, re-inserted as it was) with its old update time: behind the checkpoint, so no incremental
 * run reads it, and the platform keeps the license revoked while the business system shows it valid.
 * The full check finds it (the revocation stands on no row, so its bucket differs). The light check
 * after each run found both key sets holding the key and reported agreement; it now names the
 * license `content-mismatch`, whose repair (a re-read) issues it again from its row.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs, writeRepairs } from '../../pipelines/reconcile/repair.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS, type TestDatabase } from '../ledger/backends.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import {
  legacySql,
  REVOKE_PIPELINE as PIPELINE,
  LEGACY_TABLE as TABLE,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });

describe.each(BACKENDS)(
  'a row back behind the checkpoint after its license was revoked as deleted ($name ledger)',
  (backend) => {
    let ws: DemoWorkspace;
    let db: TestDatabase;
    let config: Readonly<Config>;
    beforeAll(async () => {
      ws = await createDemoWorkspace({ rows: 20, seed: 61 });
      db = await backend.create();
      const yaml = (await readFile(ws.configFile, 'utf8')).replace('sqlite://./data/ledger.db', db.url);
      await writeFile(
        ws.configFile,
        `${yaml}reconcile: { buckets: 64, deletedAtSource: revoke, maxRepairShare: 1 }\n`,
      );
      config = await loadConfig({ file: ws.configFile, env: {} });
      const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
      expect(s?.state).toBe('done');
    }, 120_000);
    afterAll(async () => {
      await ws?.cleanup();
      await db?.dispose();
    });

    it('is a difference for the light check as for the full one', async () => {
      const rt = new Runtime(config, logger);
      try {
        const ledger = await rt.ledger();
        const [gone] = (await ledger.pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
        if (!gone) throw new Error('a valid license expected');
        const db = new Database(ws.legacyDb);
        const row = db.prepare(`SELECT * FROM ${TABLE} WHERE ID = ?`).get(gone.sourceKey) as Record<
          string,
          unknown
        >;
        db.close();
        legacySql(ws, `DELETE FROM ${TABLE} WHERE ID = ?`, gone.sourceKey);
        const plan = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE, store: false }));
        expect(plan.byAction.revoke).toBe(1);
        const applied = await writeRepairs(rt, plan);
        await ledger.finishRun(applied.runId, { state: 'done' });
        const revoked = (await ledger.pipelineLicenses(PIPELINE)).find((l) => l.licenseId === gone.licenseId);
        expect(revoked?.status).toBe('revoked');
        // The answered deletion is no difference for either check.
        for (const mode of ['full', 'light'] as const)
          expect((await reconcilePipeline(rt, { pipeline: PIPELINE, mode, store: false })).differences).toBe(
            0,
          );

        // The row is restored as it was, its update time the old one.
        const columns = Object.keys(row);
        legacySql(
          ws,
          `INSERT INTO ${TABLE} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
          ...columns.map((c) => row[c]),
        );
        for (const mode of ['full', 'light'] as const) {
          const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode, store: false });
          expect(
            report.all.map((d) => [d.kind, d.licenseId]),
            mode,
          ).toEqual([['content-mismatch', gone.licenseId]]);
          expect(planRepairs(rt, report).byAction['re-read'], mode).toBe(1);
        }
      } finally {
        await rt.close();
      }
    }, 120_000);
  },
);
