/**
 * A scan of the extract queue reads its lists one after another. A stalled extract job (its worker
 * killed) sits in `active` until a stalled check puts it back in `waiting`, where a worker takes
 * it up again; when that move falls between the scan's read of `waiting` and its read of `active`,
 * the job is in neither list as read. Its run was then closed `abandoned` (and shown so) though the
 * job went on to extract it, and a scheduled run, once abandoned, never ends `done`. The run's own
 * job is now asked for its state, which BullMQ reads at once.
 */
import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { Ledger, StoredRun } from '../../ledger/ledger.js';
import { runStage } from '../../pipelines/observability/run-stage.js';
import { closeOrphanedRuns } from '../../pipelines/run-liveness.js';

const JOB_ID = 'repeat:extract-food:1764600000000';
const RUN_ID = `scheduled-${JOB_ID}`;

/** An extract queue holding one stalled job, which the stalled check moves back to waiting mid-scan. */
function stalledQueue(): { queue: Queue; reads: string[] } {
  let state = 'active';
  const reads: string[] = [];
  const job = { id: JOB_ID, data: { pipeline: 'food', runId: '', full: false } };
  const queue = {
    name: 'extract',
    async getJobCounts() {
      return { [state]: 1 };
    },
    async getRanges(states: string[]) {
      const [s] = states;
      reads.push(String(s));
      const found = (s === 'waiting' ? 'waiting' : s) === state ? [job.id] : [];
      // The stalled check runs right after the scan has read `waiting`.
      if (s === 'waiting') state = 'waiting';
      return found;
    },
    toKey: (id: string) => id,
    getBackend: () => ({
      client: Promise.resolve({
        hget: async (id: string) => (id === JOB_ID ? JSON.stringify(job.data) : null),
      }),
    }),
    async getJobState(id: string) {
      return id === JOB_ID ? state : 'unknown';
    },
  };
  return { queue: queue as unknown as Queue, reads };
}

function scheduledRun(): StoredRun {
  return {
    runId: RUN_ID,
    pipeline: 'food',
    mode: 'incremental',
    state: 'running',
    startedAt: new Date(),
    finishedAt: null,
    error: null,
    extractedAt: null,
    owner: null,
    read: 0,
    created: 0,
    unchanged: 0,
    quarantined: 0,
  };
}

function fakeLedger(run: StoredRun): { ledger: Ledger; finished: string[] } {
  const finished: string[] = [];
  const ledger = {
    async runningRuns() {
      return run.state === 'running' ? [run] : [];
    },
    async getRun(id: string) {
      return id === run.runId ? run : null;
    },
    async finishRun(id: string, outcome: { state: StoredRun['state'] }) {
      finished.push(`${id} ${outcome.state}`);
      const applied = run.state === 'running';
      if (applied) run.state = outcome.state;
      return { ...run, applied };
    },
  };
  return { ledger: ledger as unknown as Ledger, finished };
}

describe('a stalled extract job put back to waiting while the queue is scanned', () => {
  it('keeps its scheduled run running: the next scheduled run does not close it', async () => {
    const { queue, reads } = stalledQueue();
    const { ledger, finished } = fakeLedger(scheduledRun());
    const closed = await closeOrphanedRuns(ledger, queue, { pipeline: 'food', takenOverBy: () => 'x' });
    // The scan did miss the job (it read `waiting` before the move and `active` after it).
    expect(reads.indexOf('waiting')).toBeLessThan(reads.indexOf('active'));
    expect(closed).toEqual([]);
    expect(finished).toEqual([]);
  });

  it('is shown extracting by status, not abandoned', async () => {
    const { queue } = stalledQueue();
    const run = scheduledRun();
    const { ledger } = fakeLedger(run);
    expect(await runStage(ledger, run, 'seal', [], { queue, timeoutMs: 5000 })).toBe('extracting');
  });

  it('a scheduled run whose job is gone is still closed', async () => {
    const { queue } = stalledQueue();
    const run = { ...scheduledRun(), runId: 'scheduled-repeat:extract-food:1' };
    const { ledger, finished } = fakeLedger(run);
    expect(await runStage(ledger, run, 'seal', [], { queue, timeoutMs: 5000 })).toBe('abandoned');
    const closed = await closeOrphanedRuns(ledger, queue, { pipeline: 'food', takenOverBy: () => 'x' });
    expect(closed.map((r) => r.runId)).toEqual([run.runId]);
    expect(finished).toEqual([`${run.runId} abandoned`]);
  });

  it('a run that ends between the check and the close is not closed, nor reported closed', async () => {
    const { queue } = stalledQueue();
    const run = { ...scheduledRun(), runId: 'scheduled-repeat:extract-food:2' };
    const { ledger, finished } = fakeLedger(run);
    const getRun = ledger.getRun.bind(ledger);
    ledger.getRun = async (id: string) => {
      const seen = await getRun(id);
      // Its extract job fails for good right after this read, and records so.
      run.state = 'failed';
      return seen && { ...seen, state: 'running' };
    };
    const closed = await closeOrphanedRuns(ledger, queue, { pipeline: 'food', takenOverBy: () => 'x' });
    expect(finished).toEqual([`${run.runId} abandoned`]);
    expect(closed).toEqual([]);
    expect(run.state).toBe('failed');
  });

  it('a queue that does not answer in time: status says it could not tell, and shows it extracting', async () => {
    const run = scheduledRun();
    const { ledger } = fakeLedger(run);
    const hung = { getJobState: () => new Promise(() => {}), getJobs: () => new Promise(() => {}) };
    const told: string[] = [];
    const stage = await runStage(ledger, run, 'seal', [], {
      queue: hung as unknown as Queue,
      timeoutMs: 50,
      unknown: (why) => told.push(why),
    });
    expect(stage).toBe('extracting');
    expect(told).toEqual(['queues: extract jobs: no answer within 50 ms']);
  });
});
