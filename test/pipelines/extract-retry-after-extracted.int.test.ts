/**
 * An extract job retried after its run was marked extracted — the completion check that follows
 * failed, say — read the source again from the checkpoint into the same run. The deliver workers
 * may have marked that run done meanwhile: the rows come since then became versions of a run said
 * to be complete, not signed or delivered while it said so. An attempt after the extraction was
 * over now finishes the run without reading again; what came since is the next run's.
 */
import { describe, expect, it } from 'vitest';
import { sealIdOf } from '../../config/seal-id.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { applyLegacyChanges } from '../../examples/west-coast/update-legacy-db.js';
import { demoRuntime } from '../support/demo-runtime.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const RUN_ID = 'retried-run';

const demo = demoRuntime(6);

describe('an extract job retried after its run was extracted', () => {
  it('leaves the run done with its own versions, all signed and delivered', async () => {
    const { ws, config, rt, ledger, queues, start } = demo;
    const p = rt.pipelineConfig(PIPELINE);
    const sealId = sealIdOf(config, p);
    const progress = () => ledger.runProgress(RUN_ID, sealId, p.targets);
    const signAndDeliver = start(['sign', 'deliver']);

    const markExtracted = ledger.markExtracted.bind(ledger);
    let failed = false;
    ledger.markExtracted = async (runId: string) => {
      await markExtracted(runId);
      if (failed) return;
      failed = true;
      // The run's work lands and a deliver worker's check marks it done, as it may before the
      // extract job's own check; then the sign and deliver workers stop, so what a retry adds
      // stays in sight, and the department's clerks change some rows.
      await until(async () => {
        const now = await progress();
        return now.created > 0 && now.signed === now.created && now.delivered.province === now.created;
      });
      expect(await ledger.completeRun(runId, sealId, p.targets)).toBe(true);
      await signAndDeliver.close();
      await applyLegacyChanges(ws.legacyDb, { revoke: 1, modify: 2, add: 2, seed: 3 });
      throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: completeRun failed: connection lost', {
        retryable: true,
      });
    };
    try {
      start(['extract']);
      const job = await queues.extract.add(
        'extract',
        { pipeline: PIPELINE, runId: RUN_ID, full: false },
        { jobId: `extract_${RUN_ID}`, attempts: 3, backoff: { type: 'fixed', delay: 50 } },
      );
      await until(async () => ['completed', 'failed'].includes(await job.getState()));
      expect(await job.getState()).toBe('completed');
      // Its first attempt failed after marking the run extracted; a retry completed it.
      expect(failed).toBe(true);
    } finally {
      ledger.markExtracted = markExtracted;
    }

    const run = await ledger.getRun(RUN_ID);
    expect(run?.state).toBe('done');
    // Its versions are the six rows read by the first attempt, every one signed and delivered.
    expect(run?.read).toBe(6);
    const now = await progress();
    expect(now.created).toBe(6);
    expect(now.signed).toBe(6);
    expect(now.delivered.province).toBe(6);
    // The rows changed since are the next run's: the ledger has not read them yet.
    const backlog = await ledger.pipelineBacklog(PIPELINE, sealId, p.targets);
    expect(backlog.unsigned).toBe(0);
  }, 60_000);
});
