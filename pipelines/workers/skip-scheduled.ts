/**
 * A scheduled firing that finds its pipeline held by another run (pipelines/pipeline-lease.ts):
 * nothing is read. The skip is recorded in the ledger, so `status` names it; a run this job had
 * already started (an attempt before this one, which then let the pipeline go) is closed as
 * `abandoned`, its extraction left to the holder, which reads on from the checkpoint.
 */
import type { Ledger, PipelineHolder } from '../../ledger/ledger.js';
import { busyMessage } from '../pipeline-lease.js';

export async function skipScheduled(
  ledger: Pick<Ledger, 'pipelineLeases' | 'getRun' | 'finishRun'>,
  pipeline: string,
  runId: string,
  held: PipelineHolder,
): Promise<void> {
  await ledger.pipelineLeases.recordSkip(pipeline, runId, held.runId);
  const run = await ledger.getRun(runId);
  if (run?.state !== 'running' || run.extractedAt) return;
  await ledger.finishRun(runId, {
    state: 'abandoned',
    error: `${busyMessage(held)}: this scheduled run's extraction is left to it, which reads on from the checkpoint`,
  });
}
