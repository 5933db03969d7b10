/**
 * A license holding version 999 (GB/T 36904's version is 3 digits) whose source row changed cannot
 * take the change: each run quarantines the row LB_VERSION_LIMIT (ledger/version-limit.ts). The
 * check reported it as `content-mismatch`, advising a repair whose re-read quarantines the row
 * again, every time. It is reported as a row that cannot make a license (`unmappable`: see the
 * quarantine list, where the reason is), and a repair re-reads nothing for it.
 */

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { Runtime } from '../../pipelines/runtime.js';
import {
  legacySql,
  REVOKE_PIPELINE as PIPELINE,
  LEGACY_TABLE as TABLE,
  useRevokeWorkspace,
} from '../support/revoke-workspace.js';

const logger = createLogger({ level: 'silent' });

describe('a changed row of a license at version 999', () => {
  const fixture = useRevokeWorkspace({ seed: 59 }, logger);

  it('is reported as unable to make a license, not as content to read again', async () => {
    const { ws, config } = fixture;
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const [full, other] = (await ledger.pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
      if (!full || !other) throw new Error('two valid licenses expected');
      const db = new Database(join(ws.dir, 'data', 'ledger.db'));
      try {
        db.prepare('UPDATE license_versions SET version = 999 WHERE license_id = ?').run(full.licenseId);
        db.prepare('UPDATE licenses SET latest_version = 999 WHERE license_id = ?').run(full.licenseId);
      } finally {
        db.close();
      }
      const moved = `UPDATE ${TABLE} SET JYCS = '青岛市黄岛区长江西路 9 号' WHERE ID IN (?, ?)`;
      legacySql(ws, moved, full.sourceKey, other.sourceKey);
      // The full check: the light one sees a row changed with its cursor left as it was as nothing.
      for (const mode of ['full'] as const) {
        const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode });
        // The platform holds the first's earlier version too (platform-content-mismatch): the
        // ledger's side alone is looked at here.
        const kinds = (id: string) =>
          report.all.filter((d) => d.licenseId === id && !d.kind.startsWith('platform')).map((d) => d.kind);
        expect(kinds(full.licenseId), mode).toEqual(['unmappable']);
        expect(kinds(other.licenseId), mode).toEqual(['content-mismatch']);
        const plan = planRepairs(rt, report);
        expect(plan.items.filter((i) => i.action === 're-read').map((i) => i.difference.licenseId)).toEqual([
          other.licenseId,
        ]);
      }
    } finally {
      await rt.close();
    }
  }, 120_000);
});
