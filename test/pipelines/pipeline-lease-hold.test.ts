/**
 * `licbridge run` takes every pipeline it was asked for, or none (pipelines/pipeline-lease.ts):
 * a claim that fails (the ledger away between two claims) lets go of the pipelines already taken,
 * as a pipeline held by another run does. Before, they stayed leased to a run never started until
 * the lease ran out, and `run` started again at once (or a scheduled tick) found them busy.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { holdPipelines } from '../../pipelines/pipeline-lease.js';

function ledgerFailingAt(failing: string) {
  const held = new Set<string>();
  const leases = {
    async claim(c: { pipeline: string }) {
      if (c.pipeline === failing)
        throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: claimPipeline failed (connection refused)');
      held.add(c.pipeline);
      return null;
    },
    async release(pipeline: string) {
      held.delete(pipeline);
    },
  };
  return { ledger: { pipelineLeases: leases } as unknown as Pick<Ledger, 'pipelineLeases'>, held };
}

describe('holdPipelines', () => {
  it('lets go of the pipelines it took when a later claim fails, and throws that failure', async () => {
    const { ledger, held } = ledgerFailingAt('c');
    const runs = ['a', 'b', 'c'].map((pipeline) => ({ pipeline, runId: `run-${pipeline}` }));
    await expect(holdPipelines(ledger, runs, 'host 1')).rejects.toThrow('claimPipeline failed');
    expect([...held]).toEqual([]);
  });

  it('takes pipelines in name order, so two runs asking for the same ones in opposite orders do not both give up', async () => {
    const holders = new Map<string, string>();
    const leases = {
      async claim(c: { pipeline: string; runId: string }) {
        // A round trip to the ledger: the other run's claim goes between.
        await new Promise((r) => setTimeout(r, 5));
        const holder = holders.get(c.pipeline);
        if (holder && holder !== c.runId)
          return { runId: holder, holder: 'host 1', takenAt: new Date(), until: new Date() };
        holders.set(c.pipeline, c.runId);
        return null;
      },
      async release(pipeline: string, runId: string) {
        await new Promise((r) => setTimeout(r, 5));
        if (holders.get(pipeline) === runId) holders.delete(pipeline);
      },
    };
    const ledger = { pipelineLeases: leases } as unknown as Pick<Ledger, 'pipelineLeases'>;
    const one = holdPipelines(
      ledger,
      [
        { pipeline: 'a', runId: 'r1' },
        { pipeline: 'b', runId: 'r1' },
      ],
      'host 1',
    );
    const two = holdPipelines(
      ledger,
      [
        { pipeline: 'b', runId: 'r2' },
        { pipeline: 'a', runId: 'r2' },
      ],
      'host 1',
    );
    const outcomes = await Promise.allSettled([one, two]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(new Set(holders.values()).size).toBe(1);
    expect(holders.size).toBe(2);
  });
});
