/**
 * Emptying its queues, `licbridge run` asks the ledger whether each delayed job's run still runs.
 * Its work is complete by then: a ledger that does not answer that question (a database restarting,
 * a connection cut) leaves the job to its time and is asked again on the next pass; it made the
 * drain throw, and a run whose work was done ended as given up, exit 1.
 */
import type { Job, Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { drainQueues, heldByRunningRun } from '../../pipelines/drain-queues.js';

const logger = createLogger({ level: 'silent' });

function fakeQueue(jobs: { data: unknown; promoted: number }[]): Queue {
  return {
    getJobCounts: async () => ({ waiting: 0, prioritized: 0, active: 0 }),
    getRanges: async () => jobs.map((_, i) => String(i)),
    getJob: async (id: string) => {
      const j = jobs[Number(id)];
      return (
        j && {
          data: j.data,
          promote: async () => {
            j.promoted += 1;
          },
        }
      );
    },
  } as unknown as Queue;
}

describe('drainQueues with the ledger away', () => {
  it('leaves a job whose run it cannot read to its time, and reads the run again next pass', async () => {
    let reads = 0;
    const keep = heldByRunningRun({
      getRun: async () => {
        reads += 1;
        if (reads === 1) throw new Error('ledger: connect ECONNREFUSED 127.0.0.1:5432');
        return null;
      },
    });
    const job = { data: { runId: 'r1' }, promoted: 0 };
    // First pass: unread, kept. Second pass: the run is unknown (ended), so the job is promoted.
    expect(await keep(job as unknown as Job)).toBe(true);
    expect(await keep(job as unknown as Job)).toBe(false);
    expect(reads).toBe(2);
  });

  it('does not throw when every read fails', async () => {
    const job = { data: { runId: 'r1' }, promoted: 0 };
    const keep = heldByRunningRun({
      getRun: async () => {
        throw new Error('ledger: connect ECONNREFUSED 127.0.0.1:5432');
      },
    });
    await expect(drainQueues([fakeQueue([job])], 500, logger, keep)).resolves.toBe(true);
    expect(job.promoted).toBe(0);
  });
});
