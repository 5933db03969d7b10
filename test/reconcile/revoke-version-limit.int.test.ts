/**
 * A repair revoking licenses deleted at the source built each one's next identifier; for a license
 * holding version 999 already (GB/T 36904's version is 3 digits) that threw, and the whole repair
 * failed, every license of it unrevoked. Such a license is now left as it is, named
 * (`atVersionLimit`), quarantined `LB_VERSION_LIMIT` in the repair's run and audited as the
 * repair's `quarantine`; the others are revoked.
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

describe('a revocation of a license at version 999', () => {
  const fixture = useRevokeWorkspace({ seed: 53 }, logger);

  it('leaves that license and names it; the other is revoked', async () => {
    const { ws, config } = fixture;
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const [full, gone] = (await ledger.pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
      if (!full || !gone) throw new Error('two valid licenses expected');
      // Three years of daily changes: the ledger holds version 999 of the first.
      const db = new Database(join(ws.dir, 'data', 'ledger.db'));
      try {
        db.prepare('UPDATE license_versions SET version = 999 WHERE license_id = ?').run(full.licenseId);
        db.prepare('UPDATE licenses SET latest_version = 999 WHERE license_id = ?').run(full.licenseId);
      } finally {
        db.close();
      }
      legacySql(ws, `DELETE FROM ${TABLE} WHERE ID IN (?, ?)`, full.sourceKey, gone.sourceKey);
      const plan = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'light' }));
      expect(plan.byAction.revoke).toBe(2);

      const applied = await writeRepairs(rt, plan);
      await ledger.finishRun(applied.runId, { state: 'done' });
      const now = new Map((await ledger.pipelineLicenses(PIPELINE)).map((l) => [l.licenseId, l]));
      expect(now.get(full.licenseId)).toMatchObject({ status: 'valid', version: 999 });
      expect(now.get(gone.licenseId)).toMatchObject({ status: 'revoked', version: gone.version + 1 });
      expect(applied.atVersionLimit).toEqual([full.licenseId]);
      // On the worklist with why, in the repair's run: not in a log line only.
      const open = (await ledger.openQuarantine({ pipeline: PIPELINE })).filter((q) =>
        q.reasons.some((r) => r.code === 'LB_VERSION_LIMIT'),
      );
      expect(open.map((q) => [q.sourceKey, q.lastRunId])).toEqual([[full.sourceKey, applied.runId]]);
      expect(open[0]?.reasons[0]?.message).toContain(full.licenseId);
      expect(open[0]?.reasons[0]?.message).toContain('could not be revoked');
      expect((await ledger.getRun(applied.runId))?.quarantined).toBe(1);
      // And in the audit chain: the repair's act on that license, by the operator who ran it.
      const entries = ((await ledger.licenseAudit(full.licenseId)) ?? []).filter(
        (e) => e.action === 'quarantine',
      );
      expect(entries.map((e) => [e.actor.startsWith('operator:'), e.version, JSON.parse(e.detail)])).toEqual([
        [
          true,
          999,
          {
            runId: applied.runId,
            pipeline: PIPELINE,
            code: 'LB_VERSION_LIMIT',
            stage: 'repair',
            status: 'revoked',
          },
        ],
      ]);
    } finally {
      await rt.close();
    }
  }, 120_000);
});
