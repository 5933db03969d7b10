/**
 * An extract job whose last attempt fails queueing a page's versions for signing, the page already
 * committed: the run ends `failed` (the job read no further, and cannot know the page was the
 * source's last), and the page's versions are not lost. They are in the ledger, unsigned and held by
 * no job, and the pipeline's next run queues them from there, to be signed and delivered.
 */
import { describe, expect, it } from 'vitest';
import { sealIdOf } from '../../config/seal-id.js';
import { demoRuntime } from '../support/demo-runtime.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';

const demo = demoRuntime(6);

describe("an extract job given up queueing its page's versions for signing", () => {
  it('ends its run failed, and the next run has the versions signed and delivered', async () => {
    const { config, rt, ledger, queues, start } = demo;
    const p = rt.pipelineConfig(PIPELINE);
    const sealId = sealIdOf(config, p);

    const add = queues.sign.add.bind(queues.sign);
    let refused = 0;
    queues.sign.add = (async () => {
      refused += 1;
      throw new Error('queue: Redis did not answer');
    }) as typeof queues.sign.add;
    try {
      const extract = start(['extract']);
      const job = await queues.extract.add(
        'extract',
        { pipeline: PIPELINE, runId: 'unqueued-1', full: false },
        { jobId: 'extract_unqueued-1', attempts: 1 },
      );
      await until(async () => ['completed', 'failed'].includes(await job.getState()));
      await extract.close();
      expect(refused).toBe(1);
    } finally {
      queues.sign.add = add;
    }
    const first = await ledger.getRun('unqueued-1');
    expect(first?.state).toBe('failed');
    expect(first?.created).toBe(6);
    expect((await ledger.pipelineBacklog(PIPELINE, sealId, p.targets)).unsigned).toBe(6);

    start(['extract', 'sign', 'deliver']);
    await queues.extract.add(
      'extract',
      { pipeline: PIPELINE, runId: 'unqueued-2', full: false },
      { jobId: 'extract_unqueued-2' },
    );
    await until(async () => (await ledger.getRun('unqueued-2'))?.state === 'done');
    // The next run read nothing again: the first run's page is the one committed.
    expect((await ledger.getRun('unqueued-2'))?.read).toBe(0);
    await until(
      async () => (await ledger.runProgress('unqueued-1', sealId, p.targets)).delivered.province === 6,
    );
    const backlog = await ledger.pipelineBacklog(PIPELINE, sealId, p.targets);
    expect(backlog.unsigned).toBe(0);
    expect(backlog.undelivered.province ?? 0).toBe(0);
  }, 60_000);
});
