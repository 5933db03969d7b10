/**
 * `licbridge status` on a scheduled run whose extract job is gone (removed, lost with Redis,
 * failed for good by stalling): it showed `extracting` for good, though nothing extracts it. It is
 * now shown `abandoned`, with a note saying its extract job is gone; a scheduled run whose extract
 * job still waits (a retry's backoff) is still `extracting`.
 */
import { describe, expect, it } from 'vitest';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { demoRuntime } from '../support/demo-runtime.js';

const PIPELINE = 'food-business-licenses';

const t = demoRuntime(3);

const lastRun = async () => {
  const status = await collectStatus(t.config, t.ledger, t.queues, { probeSources: false });
  return { run: status.pipelines.find((p) => p.pipeline === PIPELINE)?.lastRun, notes: status.attention };
};

describe('status of a scheduled run and its extract job', () => {
  it('extracting while its job waits; abandoned, saying why, once the job is gone', async () => {
    await t.ledger.startRun({ runId: 'scheduled-tick-7', pipeline: PIPELINE, mode: 'incremental' });
    const job = await t.queues.extract.add(
      'extract',
      { pipeline: PIPELINE, runId: '', full: false },
      { jobId: 'tick-7', delay: 86_400_000 },
    );
    const waiting = await lastRun();
    expect(waiting.run?.runId).toBe('scheduled-tick-7');
    expect(waiting.run?.stage).toBe('extracting');
    expect(waiting.notes.join('\n')).not.toContain('abandoned');

    await job.remove();
    const gone = await lastRun();
    expect(gone.run?.stage).toBe('abandoned');
    expect(gone.notes).toContainEqual(
      expect.stringContaining(
        `run scheduled-tick-7 was abandoned: its extract job is gone before the extraction was over`,
      ),
    );
  });
});
