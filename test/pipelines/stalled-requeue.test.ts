/**
 * The end every stall settlement shares (workers/stalled-out.ts, `requeueStalled`): the count comes
 * from the job's data, the copy is named after the first job, and a job given up says why by its
 * ids alone. The queue's add is the caller's; here it records what it was given.
 */
import { describe, expect, it } from 'vitest';
import { requeueStalled, STALL_REQUEUES } from '../../pipelines/workers/stalled-out.js';

interface Data {
  pipeline: string;
  runId: string;
  stalledOut?: number;
}

function recorder(fail?: Error) {
  const added: { data: Data; jobId: string }[] = [];
  return {
    added,
    async add(data: Data, jobId: string) {
      if (fail) throw fail;
      added.push({ data, jobId });
    },
  };
}

describe('requeueStalled', () => {
  it('queues a first stall-out again as <id>-stalled-1, its data kept and counted', async () => {
    const q = recorder();
    const outcome = await requeueStalled({
      queue: 'sign',
      job: { id: 'sign_r1_1_5_5', data: { pipeline: 'p', runId: 'r1' } },
      add: q.add,
      giveUp: 'failed',
      exhausted: 'later',
    });
    expect(outcome).toEqual({ kind: 'requeued', jobId: 'sign_r1_1_5_5-stalled-1' });
    expect(q.added).toEqual([
      { jobId: 'sign_r1_1_5_5-stalled-1', data: { pipeline: 'p', runId: 'r1', stalledOut: 1 } },
    ]);
  });

  it('gives a copy up once its copies are used up, without queueing another', async () => {
    expect(STALL_REQUEUES).toBe(1);
    const q = recorder();
    const outcome = await requeueStalled({
      queue: 'lifecycle',
      job: { id: 'tick-1-stalled-1', data: { pipeline: 'p', runId: 'r1', stalledOut: 1 } },
      add: q.add,
      giveUp: 'lost',
      exhausted: 'the next tick expires what this one left',
    });
    expect(outcome.kind).toBe('lost');
    expect(outcome.kind === 'lost' && outcome.message).toMatch(
      /^lifecycle: job tick-1-stalled-1 stalled out 2 times: .*; the next tick expires what this one left$/,
    );
    expect(q.added).toEqual([]);
  });

  it('gives the job up when its copy cannot be added, naming the job and the error', async () => {
    const q = recorder(new Error('Connection is closed.'));
    const outcome = await requeueStalled({
      queue: 'extract',
      job: { id: 'extract_r1', data: { pipeline: 'p', runId: 'r1' } },
      add: q.add,
      giveUp: 'failed',
      exhausted: 'later',
      addFailed: 'then what',
    });
    expect(outcome).toEqual({
      kind: 'failed',
      message:
        'extract: job extract_r1 stalled out and could not be queued again: Connection is closed.; then what',
    });
  });
});
