import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { beatForRuns, type RunBeat } from '../../pipelines/run-heartbeat.js';

/**
 * beatForRuns as `licbridge run` starts it for one run `r` of host 1 holding pipeline `p`, a beat
 * every 2 s; `beat` changes any of that (`leases: undefined`: a run holding no pipeline).
 */
export function beatForRunR(
  ledger: Pick<Ledger, 'heartbeatRuns' | 'pipelineLeases'>,
  logger: Logger,
  say: RunBeat['say'],
  beat: Partial<RunBeat> = {},
): () => void {
  return beatForRuns(ledger, {
    owner: 'host 1',
    runs: () => ['r'],
    leases: [{ pipeline: 'p', runId: 'r' }],
    logger,
    say,
    everyMs: 2000,
    ...beat,
  });
}
