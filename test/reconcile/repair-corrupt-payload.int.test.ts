/**
 * A repair revoking licenses deleted at the source builds each ending from the license as stored.
 * A stored text that did not read (corrupt JSON) threw out of the ledger's read and failed the whole
 * `reconcile --repair`, the check before it too (its area counts read every license's text); one
 * that read but no longer matched the content hash its version records was ended as it read, an
 * altered license signed anew. Each such license is now left as it is, named (`corruptStoredText`:
 * license id, version, what is wrong, never a value of the license) and quarantined in the repair's
 * run; the other licenses are revoked, and the check after still reports it, so the exit status
 * says a person is needed.
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

describe('a revocation whose stored license is corrupt', () => {
  const fixture = useRevokeWorkspace({ seed: 73 }, logger);

  it('leaves those licenses, names and quarantines them; the other is revoked', async () => {
    const { ws, config } = fixture;
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const [broken, altered, gone] = (await ledger.pipelineLicenses(PIPELINE)).filter(
        (l) => l.status === 'valid',
      );
      if (!broken || !altered || !gone) throw new Error('three valid licenses expected');
      const [stored] = await ledger.getVersions([altered.versionId]);
      if (!stored) throw new Error(`version ${altered.versionId} expected`);
      const holder = stored.payload.holder;
      const ledgerFile = join(ws.dir, 'data', 'ledger.db');
      let alteredText = '';
      const db = new Database(ledgerFile);
      try {
        // One text cut short (a disk or a hand that broke it), one edited so that it reads, but as
        // another license than the one its content hash records.
        db.prepare('UPDATE license_versions SET payload = ? WHERE version_id = ?').run(
          '{"number":"X',
          broken.versionId,
        );
        const row = db
          .prepare('SELECT payload FROM license_versions WHERE version_id = ?')
          .get(altered.versionId) as { payload: string };
        alteredText = row.payload;
        const edited = row.payload.replace(`"number":"${stored.payload.number}"`, '"number":"EDITED-1"');
        expect(edited).not.toBe(row.payload);
        db.prepare('UPDATE license_versions SET payload = ? WHERE version_id = ?').run(
          edited,
          altered.versionId,
        );
      } finally {
        db.close();
      }
      legacySql(
        ws,
        `DELETE FROM ${TABLE} WHERE ID IN (?, ?, ?)`,
        broken.sourceKey,
        altered.sourceKey,
        gone.sourceKey,
      );
      const plan = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE }));
      expect(plan.byAction.revoke).toBe(3);

      const applied = await writeRepairs(rt, plan);
      await ledger.finishRun(applied.runId, { state: 'done' });
      const now = new Map((await ledger.pipelineLicenses(PIPELINE)).map((l) => [l.licenseId, l]));
      expect(now.get(broken.licenseId)).toMatchObject({ status: 'valid', version: broken.version });
      expect(now.get(altered.licenseId)).toMatchObject({ status: 'valid', version: altered.version });
      expect(now.get(gone.licenseId)).toMatchObject({ status: 'revoked', version: gone.version + 1 });
      expect(applied.corruptStoredText.map((c) => [c.licenseId, c.version]).sort()).toEqual(
        [
          [broken.licenseId, broken.version],
          [altered.licenseId, altered.version],
        ].sort(),
      );

      // On the worklist with why, in the repair's run, no value of the license in it.
      const open = (await ledger.openQuarantine({ pipeline: PIPELINE })).filter((q) =>
        q.reasons.some((r) => r.code === 'LB_STORED_TEXT'),
      );
      expect(open.map((q) => q.sourceKey).sort()).toEqual([broken.sourceKey, altered.sourceKey].sort());
      expect(open.every((q) => q.lastRunId === applied.runId)).toBe(true);
      const said = JSON.stringify(open);
      expect(said).toContain(`license ${broken.licenseId} version ${broken.version}`);
      expect(said).toContain('does not read');
      expect(said).toContain(`license ${altered.licenseId} version ${altered.version}`);
      expect(said).toContain('content hash');
      expect(said).not.toContain(holder.name);
      expect(said).not.toContain(holder.id);
      expect(said).not.toContain('EDITED-1');
      expect((await ledger.getRun(applied.runId))?.quarantined).toBe(2);

      // The check after still finds both: a difference remains, the exit status says so.
      const after = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const left = after.all.filter((d) => d.target === null).map((d) => d.licenseId);
      expect(left.sort()).toEqual([broken.licenseId, altered.licenseId].sort());

      // Its text restored, the next repair ends the altered one, and its record leaves the worklist:
      // the quarantine said the next repair ends it once restored. The broken one's stays, once.
      const fix = new Database(ledgerFile);
      try {
        fix
          .prepare('UPDATE license_versions SET payload = ? WHERE version_id = ?')
          .run(alteredText, altered.versionId);
      } finally {
        fix.close();
      }
      const again = await writeRepairs(
        rt,
        planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE })),
      );
      await ledger.finishRun(again.runId, { state: 'done' });
      const ended = new Map((await ledger.pipelineLicenses(PIPELINE)).map((l) => [l.licenseId, l]));
      expect(ended.get(altered.licenseId)).toMatchObject({ status: 'revoked', version: altered.version + 1 });
      expect(again.corruptStoredText.map((c) => c.licenseId)).toEqual([broken.licenseId]);
      const still = (await ledger.openQuarantine({ pipeline: PIPELINE })).filter((q) =>
        q.reasons.some((r) => r.code === 'LB_STORED_TEXT'),
      );
      expect(still.map((q) => [q.sourceKey, q.lastRunId])).toEqual([[broken.sourceKey, applied.runId]]);
    } finally {
      await rt.close();
    }
  }, 180_000);
});
