/**
 * A repair revoking a license whose version, as the check saw it, has no stored license in the
 * ledger (nothing to build the revoked version from) skipped it without a word: the repair read as
 * complete while the license stayed valid. Such a license is now named (`withoutStoredText`) and a
 * warning gives how many and their license ids, never the holder's name or number; the others
 * are revoked.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { Runtime } from '../../pipelines/runtime.js';
import {
  LEGACY_TABLE,
  legacySql,
  REVOKE_PIPELINE as PIPELINE,
  planRepairsNow,
  useRevokeWorkspace,
} from '../support/revoke-workspace.js';

const silent = createLogger({ level: 'silent' });

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'warn', destination: stream }) };
}

describe('a revocation whose version has no stored license', () => {
  const fixture = useRevokeWorkspace({ seed: 67 }, silent);

  it('is not written, and is named with a warning free of personal data; the other is revoked', async () => {
    const rt = new Runtime(fixture.config, silent);
    try {
      const ledger = await rt.ledger();
      const [lost, gone] = (await ledger.pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
      if (!lost || !gone) throw new Error('two valid licenses expected');
      const [stored] = await ledger.getVersions([lost.versionId]);
      if (!stored) throw new Error(`version ${lost.versionId} expected`);
      const holder = stored.payload.holder;
      legacySql(fixture.ws, `DELETE FROM ${LEGACY_TABLE} WHERE ID IN (?, ?)`, lost.sourceKey, gone.sourceKey);
      const plan = await planRepairsNow(rt);
      expect(plan.byAction.revoke).toBe(2);

      // The ledger gives nothing back for the version the check saw of `lost`.
      const getVersions = ledger.getVersions.bind(ledger);
      Object.assign(ledger, {
        getVersions: async (ids: Parameters<Ledger['getVersions']>[0]) =>
          (await getVersions(ids)).filter((v) => v.versionId !== lost.versionId),
      });
      const { lines, logger } = capture();
      let applied: Awaited<ReturnType<typeof applyRepairs>>;
      try {
        applied = await applyRepairs(rt, plan, { logger });
      } finally {
        Object.assign(ledger, { getVersions });
      }

      expect(applied.withoutStoredText).toEqual([lost.licenseId]);
      const now = new Map((await ledger.pipelineLicenses(PIPELINE)).map((l) => [l.licenseId, l]));
      expect(now.get(lost.licenseId)).toMatchObject({ status: 'valid', version: lost.version });
      expect(now.get(gone.licenseId)).toMatchObject({ status: 'revoked', version: gone.version + 1 });

      const warned = lines.filter((l) => l.includes('no stored license'));
      expect(warned).toHaveLength(1);
      expect(warned[0]).toContain('1 license(s) not revoked or cancelled');
      expect(warned[0]).toContain(lost.licenseId);
      expect(warned[0]).not.toContain(holder.name);
      expect(warned[0]).not.toContain(holder.id);
    } finally {
      await rt.close();
    }
  }, 120_000);
});
