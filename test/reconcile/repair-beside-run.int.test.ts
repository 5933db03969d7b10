/**
 * A repair applied while a run of the same pipeline works. A repair is a run of the pipeline (its
 * re-read is a full extraction, its versions are written under its run): one run of a pipeline at
 * a time (pipelines/pipeline-lease.ts). Applied beside a run, it wrote its revocations and reopened
 * its deliveries, and only its re-read then found the pipeline held and failed — half a repair.
 * It now takes the pipeline's lease before it writes anything: refused (`LB_PIPELINE_BUSY`, exit
 * 4) with nothing written while a run holds it, applied whole once the run has ended, its re-read
 * working under the lease it holds, and the pipeline free again after it.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { holdPipelines, releasePipelines, takePipeline } from '../../pipelines/pipeline-lease.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
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

describe('a repair while a run of the pipeline works', () => {
  const fixture = useRevokeWorkspace({ seed: 53 }, logger);

  it('is refused with nothing written, then applied whole once the run has ended', async () => {
    const { ws, config } = fixture;
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const [gone, edited] = (await ledger.pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
      if (!gone || !edited) throw new Error('two valid licenses expected');
      // A row deleted (its license to revoke) and one edited behind the cursor (a re-read).
      legacySql(ws, `DELETE FROM ${TABLE} WHERE ID = ?`, gone.sourceKey);
      legacySql(ws, `UPDATE ${TABLE} SET JYCS = JYCS || '（新址）' WHERE ID = ?`, edited.sourceKey);
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const plan = planRepairs(rt, report);
      expect(plan.byAction).toMatchObject({ revoke: 1, 're-read': 1 });

      // A run of the pipeline works (`licbridge run` took the pipeline for it).
      const busy = { pipeline: PIPELINE, runId: 'run-beside-repair' };
      await ledger.startRun({ ...busy, mode: 'incremental' });
      await holdPipelines(ledger, [busy]);
      await expect(applyRepairs(rt, plan, { logger, idleTimeoutMs: 20_000 })).rejects.toMatchObject({
        code: 'LB_PIPELINE_BUSY',
        message: expect.stringContaining('run-beside-repair'),
      });
      const untouched = new Map((await ledger.pipelineLicenses(PIPELINE)).map((l) => [l.licenseId, l]));
      expect(untouched.get(gone.licenseId)).toMatchObject({ status: 'valid', version: gone.version });
      expect(untouched.get(edited.licenseId)).toMatchObject({ version: edited.version });

      // The run ends and lets the pipeline go: the same plan is applied whole.
      await ledger.finishRun(busy.runId, { state: 'done' });
      await releasePipelines(ledger, [busy]);
      const applied = await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });
      expect((await ledger.getRun(applied.runId))?.state).toBe('done');
      const now = new Map((await ledger.pipelineLicenses(PIPELINE)).map((l) => [l.licenseId, l]));
      expect(now.get(gone.licenseId)).toMatchObject({ status: 'revoked', version: gone.version + 1 });
      expect(now.get(edited.licenseId)).toMatchObject({ version: edited.version + 1 });
      // And lets it go: the next run takes it.
      expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
    } finally {
      await rt.close();
    }
  }, 180_000);

  // Last: it stops the platform.
  it('without a re-read, holds the pipeline while its versions are delivered, and fails its run when it gives up', async () => {
    const { ws, config } = fixture;
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const [gone] = (await ledger.pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
      if (!gone) throw new Error('a valid license expected');
      legacySql(ws, `DELETE FROM ${TABLE} WHERE ID = ?`, gone.sourceKey);
      const plan = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE }));
      expect(plan.byAction).toMatchObject({ revoke: 1, 're-read': 0 });
      // The platform gone: the revocation's delivery waits in its retries, the repair with it.
      await ws.simulator.close();
      const applying = applyRepairs(rt, plan, { logger, idleTimeoutMs: 6000 }).then(
        () => null,
        (e: unknown) => e,
      );
      const until = Date.now() + 20_000;
      let revoked = false;
      while (!revoked && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        const now = (await ledger.pipelineLicenses(PIPELINE)).find((l) => l.licenseId === gone.licenseId);
        revoked = now?.status === 'revoked';
      }
      expect(revoked).toBe(true);
      // Written, and delivering: the repair's run has not ended, and still holds the pipeline.
      const held = await ledger.pipelineLeases.holderOf(PIPELINE);
      expect(held?.runId).toMatch(/^repair-/);
      const beside = { pipeline: PIPELINE, runId: 'run-beside-deliveries' };
      await ledger.startRun({ ...beside, mode: 'incremental' });
      const refused = await takePipeline(ledger, PIPELINE, beside.runId);
      if (refused === null) await releasePipelines(ledger, [beside]);
      expect(refused?.runId).toBe(held?.runId);
      await ledger.finishRun(beside.runId, { state: 'done' });

      // Nothing moves: the repair gives up, its run failed (not left running), the pipeline free.
      expect(await applying).toMatchObject({ message: expect.stringContaining('nothing moved') });
      expect((await ledger.getRun(held?.runId ?? ''))?.state).toBe('failed');
      expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
    } finally {
      await rt.close();
    }
  }, 120_000);
});
