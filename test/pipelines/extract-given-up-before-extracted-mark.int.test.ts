/**
 * An extract job given up (its last attempt) after its last page was committed, its marking the
 * run extracted failing: the run ended `failed`, though every page was in the ledger, queued for
 * signing, and went on to be signed and delivered; it stayed failed after they were. The job now
 * knows its pages are all in: it marks the run extracted as it gives up, and the run ends `done`
 * once its versions are delivered. Nothing is read twice: the next run reads on from the checkpoint.
 * When the mark cannot be made then either, the run ends `abandoned`, saying its extraction was
 * complete, rather than `failed`.
 */
import { describe, expect, it } from 'vitest';
import { sealIdOf } from '../../config/seal-id.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { applyLegacyChanges } from '../../examples/west-coast/update-legacy-db.js';
import { demoRuntime } from '../support/demo-runtime.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const RUN_ID = 'given-up-before-mark';

const demo = demoRuntime(6);

describe('an extract job given up between its last page and marking its run extracted', () => {
  it('leaves the run to end done once its versions are delivered, not failed', async () => {
    const { config, rt, ledger, queues, start } = demo;
    const p = rt.pipelineConfig(PIPELINE);
    const sealId = sealIdOf(config, p);
    const progress = () => ledger.runProgress(RUN_ID, sealId, p.targets);

    const markExtracted = ledger.markExtracted.bind(ledger);
    let refused = 0;
    ledger.markExtracted = async (runId: string) => {
      if (refused === 0) {
        refused += 1;
        throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: markExtracted failed: connection lost', {
          retryable: true,
        });
      }
      await markExtracted(runId);
    };
    try {
      const extract = start(['extract']);
      // One attempt: the failure above is its last.
      const job = await queues.extract.add(
        'extract',
        { pipeline: PIPELINE, runId: RUN_ID, full: false },
        { jobId: `extract_${RUN_ID}`, attempts: 1 },
      );
      await until(async () => ['completed', 'failed'].includes(await job.getState()));
      await extract.close();
      expect(refused).toBe(1);
    } finally {
      ledger.markExtracted = markExtracted;
    }

    // Every page is in: the run is extracted, not failed.
    const given = await ledger.getRun(RUN_ID);
    expect(given?.state).toBe('running');
    expect(given?.extractedAt).toBeTruthy();
    expect(given?.read).toBe(6);

    start(['sign', 'deliver']);
    await until(async () => (await ledger.getRun(RUN_ID))?.state !== 'running');
    const run = await ledger.getRun(RUN_ID);
    expect(run?.state).toBe('done');
    const now = await progress();
    expect(now.created).toBe(6);
    expect(now.signed).toBe(6);
    expect(now.delivered.province).toBe(6);
    // Nothing is left for the next run to read again, or to sign.
    const backlog = await ledger.pipelineBacklog(PIPELINE, sealId, p.targets);
    expect(backlog.unsigned).toBe(0);
  }, 60_000);

  it('ends the run abandoned, its extraction complete, when the mark cannot be made as it gives up', async () => {
    const { ws, ledger, queues, start } = demo;
    const runId = 'given-up-mark-refused';
    await applyLegacyChanges(ws.legacyDb, { revoke: 0, modify: 0, add: 2, seed: 5 });
    const markExtracted = ledger.markExtracted.bind(ledger);
    let refused = 0;
    ledger.markExtracted = async () => {
      refused += 1;
      throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: markExtracted failed: connection lost', {
        retryable: true,
      });
    };
    try {
      const extract = start(['extract']);
      const job = await queues.extract.add(
        'extract',
        { pipeline: PIPELINE, runId, full: false },
        { jobId: `extract_${runId}`, attempts: 1 },
      );
      await until(async () => ['completed', 'failed'].includes(await job.getState()));
      await extract.close();
      expect(refused).toBe(2);
    } finally {
      ledger.markExtracted = markExtracted;
    }
    const run = await ledger.getRun(runId);
    expect(run?.state).toBe('abandoned');
    expect(run?.read).toBe(2);
    expect(run?.error).toMatch(
      /^its extraction was complete; then its extract job failed before marking it so: .*markExtracted failed: connection lost/,
    );
  }, 60_000);
});
