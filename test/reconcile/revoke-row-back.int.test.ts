/**
 * A repair under `reconcile.deletedAtSource: revoke` ends the licenses whose rows the check did not
 * find once the whole check has run: a check that ran while the source table was being reloaded
 * saw rows gone that are back by then. A row that is there again by then, unchanged, makes
 * no new version in a run: revoked, its license stayed revoked at the platform while the business
 * system showed it valid. The source's keys are read once more right before the repair is written:
 * such a license is not revoked and is named (`rowsBack`); one whose row is still gone is revoked.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs, writeRepairs } from '../../pipelines/reconcile/repair.js';
import { Runtime } from '../../pipelines/runtime.js';
import {
  legacySql,
  REVOKE_PIPELINE as PIPELINE,
  LEGACY_TABLE as TABLE,
  useRevokeWorkspace,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });

describe('a revocation whose source row is back when the repair is written', () => {
  const fixture = useRevokeWorkspace({ seed: 47 }, logger);

  it('is not revoked; the one whose row is still gone is', async () => {
    const { ws, config } = fixture;
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const [back, gone] = (await ledger.pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
      if (!back || !gone) throw new Error('two valid licenses expected');
      // Both rows deleted (a reload under way), one of them put back as it was.
      const db = new Database(ws.legacyDb);
      const row = db.prepare(`SELECT * FROM ${TABLE} WHERE ID = ?`).get(back.sourceKey) as Record<
        string,
        unknown
      >;
      db.close();
      legacySql(ws, `DELETE FROM ${TABLE} WHERE ID IN (?, ?)`, back.sourceKey, gone.sourceKey);

      for (const mode of ['full', 'light'] as const) {
        const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode, store: false });
        expect(
          report.all
            .filter((d) => d.kind === 'deleted-at-source')
            .map((d) => d.licenseId)
            .sort(),
        ).toEqual([back.licenseId, gone.licenseId].sort());
      }
      const plan = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'light' }));
      expect(plan.byAction.revoke).toBe(2);

      const columns = Object.keys(row);
      legacySql(
        ws,
        `INSERT INTO ${TABLE} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        ...columns.map((c) => row[c]),
      );

      const applied = await writeRepairs(rt, plan);
      await ledger.finishRun(applied.runId, { state: 'done' });
      const now = new Map((await ledger.pipelineLicenses(PIPELINE)).map((l) => [l.licenseId, l]));
      expect(now.get(back.licenseId)).toMatchObject({ status: 'valid', version: back.version });
      expect(now.get(gone.licenseId)).toMatchObject({ status: 'revoked', version: gone.version + 1 });
      expect(applied.rowsBack).toEqual([back.licenseId]);
    } finally {
      await rt.close();
    }
  }, 120_000);
});
