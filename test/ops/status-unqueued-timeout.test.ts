/**
 * When the scan of the queues for a pipeline's jobs does not end in time, `status` says what it
 * could not tell: whether versions wait for a signature, or for a delivery, that no job holds.
 */
import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { QueueStats } from '../../pipelines/observability/queue-stats.js';
import { unqueuedDeliveries } from '../../pipelines/observability/unqueued-attention.js';
import type { QueueSet } from '../../pipelines/queues.js';

const stats = (name: string): QueueStats => ({
  name,
  waiting: 1,
  active: 0,
  delayed: 0,
  failed: 0,
  completed: 0,
  prioritized: 0,
  workers: 0,
  paused: false,
});

/** A queue holding jobs whose listing never answers. */
const stuck = (name: string) => {
  const never = () => new Promise(() => undefined);
  return { name, getJobCounts: never, getJobs: never, getRanges: never } as unknown as Queue;
};

const config = {
  pipelines: { p: { targets: ['t'], signer: 's' } },
  signers: {},
  targets: {},
} as unknown as Config;
const queues = { extract: stuck('extract'), sign: stuck('sign'), deliver: new Map() } as unknown as QueueSet;
const ledger = {} as Ledger;

describe('status: the queue scan for jobs no one holds, out of time', () => {
  it('says it could not tell of versions awaiting signature', async () => {
    const notes = await unqueuedDeliveries(
      config,
      ledger,
      [{ pipeline: 'p', awaitingSignature: 3, awaitingDelivery: { t: 0 } }],
      [stats('extract'), stats('sign')],
      queues,
      50,
    );
    expect(notes.map((n) => n.message)).toEqual([
      'queues: could not tell whether versions wait for a signature no job holds (queues: jobs of each pipeline: no answer within 50 ms)',
    ]);
  });

  it('says it could not tell of signed versions awaiting delivery', async () => {
    const notes = await unqueuedDeliveries(
      config,
      ledger,
      [{ pipeline: 'p', awaitingSignature: 0, awaitingDelivery: { t: 2 } }],
      [stats('extract'), stats('sign')],
      queues,
      50,
    );
    expect(notes.map((n) => n.message)).toEqual([
      'queues: could not tell whether signed versions wait for a delivery no job holds (queues: jobs of each pipeline: no answer within 50 ms)',
    ]);
  });
});
