/**
 * The log of a deliver job given up after its copy stalled out too (a poison job): its open
 * deliveries are dead-lettered, and the error line says so. The worker set's line for the same
 * outcome said at info that the job "stalled out, but its work is in the ledger", as for a job
 * whose copies had delivered everything: read next to the error, an operator could not tell which
 * was true. It now says the job was given up and its deliveries dead-lettered, and how many.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deliverQueueName } from '../../pipelines/queues.js';
import { Runtime } from '../../pipelines/runtime.js';
import { lineLogger } from '../support/log-lines.js';
import { stalledWorker } from '../support/stalled-worker.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';

describe('the log of a deliver job given up after stalling out', () => {
  const stalled = stalledWorker();

  afterEach(() => stalled.close());

  it('says its deliveries were dead-lettered, not that its work is in the ledger', async () => {
    const parts = await stalled.setUp(3);

    // A run extracted and signed by real workers, its deliver job left waiting.
    const runId = await stalled.runToDeliver(PIPELINE);

    // The live workers log through a runtime whose lines are kept.
    const { logger, lines } = lineLogger('info');
    const config = parts.rt.config;
    await parts.rt.close();
    parts.rt = new Runtime(config, logger);
    const ledger = await parts.rt.ledger();

    // The job stalled out once already and was queued again as its copy, which now dies too.
    const { copyId, data } = await stalled.queueStalledCopy();
    const versionIds = data.versionIds;
    expect((await stalled.takeAndDie(deliverQueueName('province')))?.id).toBe(copyId);

    stalled.live(['deliver']);
    await until(async () => {
      const states = await ledger.deliveryStates(versionIds, 'province');
      return states.every((s) => s.state === 'dead');
    });
    await stalled.closeWorkers();

    const records = lines
      .map((l) => JSON.parse(l) as { level: number; msg: string; jobId?: string; [k: string]: unknown })
      .filter((r) => r.jobId === copyId);
    const said = records.map((r) => r.msg);
    expect(said).toContain('job: stalled out again; its open deliveries dead-lettered');
    expect(said).not.toContain('job: stalled out, but its work is in the ledger');
    const given = records.filter(
      (r) => r.msg === 'job: stalled out; given up, its open deliveries dead-lettered',
    );
    expect(given).toHaveLength(1);
    expect(given[0]).toMatchObject({
      queue: deliverQueueName('province'),
      runId,
      deadLettered: versionIds.length,
    });
    // Warn (40), not info: deliveries were given up.
    expect(given[0]?.level).toBe(40);
  }, 90_000);
});
