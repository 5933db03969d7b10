/**
 * A license at version 999 whose row was deleted at the source cannot take its ending: the first
 * repair quarantines it `LB_VERSION_LIMIT`. Every check after still reported it `deleted-at-source`,
 * so each planned a revocation no repair can write. Once it is quarantined it is `unmappable`, as a
 * changed row at that version is, pointing to the quarantine list.
 */

import { join } from 'node:path';
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

describe('a license at version 999 deleted at the source, once quarantined', () => {
  const fixture = useRevokeWorkspace({ seed: 59 }, logger);

  it('is reported unmappable by the next checks, and no revocation is planned again', async () => {
    const { ws, config } = fixture;
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const [full] = (await ledger.pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
      if (!full) throw new Error('a valid license expected');
      const db = new Database(join(ws.dir, 'data', 'ledger.db'));
      try {
        db.prepare('UPDATE license_versions SET version = 999 WHERE license_id = ?').run(full.licenseId);
        db.prepare('UPDATE licenses SET latest_version = 999 WHERE license_id = ?').run(full.licenseId);
      } finally {
        db.close();
      }
      legacySql(ws, `DELETE FROM ${TABLE} WHERE ID = ?`, full.sourceKey);
      // The first check plans its revocation; the repair cannot write it and quarantines it.
      const first = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'light' }));
      expect(first.byAction.revoke).toBe(1);
      const applied = await writeRepairs(rt, first);
      await ledger.finishRun(applied.runId, { state: 'done' });
      expect(applied.atVersionLimit).toEqual([full.licenseId]);

      for (const mode of ['light', 'full'] as const) {
        const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode });
        // Source side only: the platform holds the version before the one set to 999 here.
        const mine = report.all.filter((d) => d.licenseId === full.licenseId && d.target === null);
        expect(
          mine.map((d) => d.kind),
          mode,
        ).toEqual(['unmappable']);
        const plan = planRepairs(rt, report);
        expect(plan.byAction.revoke, mode).toBe(0);
      }
    } finally {
      await rt.close();
    }
  }, 120_000);
});
