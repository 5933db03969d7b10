/**
 * A stop heard while `licbridge run` starts is heard at every step that starts something. The stop
 * is bounded (run-stop.ts `unlessStuckAfterStop`): a step that waits past it on Redis or the ledger
 * is left behind, and the stop lets go of what the run held. Such a step that then ended went on
 * with the start: workers started after the stop had closed the run's (left running in a process
 * that goes on), and a run recorded `running` after the stop had ended the runs, its extract job
 * queued, worked beside the pipeline's next run with no lease. Each is now refused once stopped.
 * Here the stop comes during the step itself, as a stop past its bound would find it.
 */
import { expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { letGo } from '../../pipelines/run-end.js';
import { processOwner } from '../../pipelines/run-liveness.js';
import { type RunHold, startRuns } from '../../pipelines/run-start.js';
import { RunStopped } from '../../pipelines/run-stop.js';
import { Runtime } from '../../pipelines/runtime.js';
import { demoConfig } from '../support/demo-config.js';

const PIPELINE = 'food-business-licenses';
const log = createLogger({ level: 'silent' });
const demo = demoConfig(5);

/** Starts the pipeline's run, its stop aborted as the ledger's `method` answers; then lets go as `run` does. */
async function startStoppedDuring(method: 'runningRuns' | 'startRun' | 'pipelineBacklog') {
  const rt = new Runtime(demo.config, log);
  const connection = queueConnection(demo.config.queue.redis);
  const queues = createQueues(connection, demo.config.queue.prefix, ['province'], log);
  const hold: RunHold = { owner: processOwner(), runs: [] };
  const stop = new AbortController();
  const ledger = await rt.ledger();
  const original = ledger[method].bind(ledger) as (...args: unknown[]) => Promise<unknown>;
  Object.assign(ledger, {
    [method]: async (...args: unknown[]) => {
      const answer = await original(...args);
      stop.abort('SIGTERM');
      return answer;
    },
  });
  let added = 0;
  const add = queues.extract.add.bind(queues.extract);
  Object.assign(queues.extract, {
    add: (...args: Parameters<typeof add>) => {
      added += 1;
      return add(...args);
    },
  });
  const outcome = await startRuns(
    demo.config,
    rt,
    queues,
    connection,
    {
      pipelines: [PIPELINE],
      full: false,
      logger: log,
      stop: stop.signal,
    },
    hold,
  ).then(
    () => 'started' as const,
    (e: unknown) => e,
  );
  const workers = hold.workers;
  // What the ledger holds of the runs the start planned, before the stop lets go of it.
  const recorded = await Promise.all(hold.runs.map((r) => ledger.getRun(r.runId)));
  await letGo(rt, queues, hold, false, log);
  return { outcome, workers, added, recorded };
}

it('starts no workers once stopped while it looked for runs left by a dead process', async () => {
  const { outcome, workers } = await startStoppedDuring('runningRuns');
  expect(outcome).toBeInstanceOf(RunStopped);
  expect(workers).toBeUndefined();
}, 60_000);

it('queues no extract job for a run recorded once stopped', async () => {
  const { outcome, added } = await startStoppedDuring('startRun');
  expect(outcome).toBeInstanceOf(RunStopped);
  expect(added).toBe(0);
}, 60_000);

it('records no run once stopped while it read what earlier runs left', async () => {
  const { outcome, recorded, added } = await startStoppedDuring('pipelineBacklog');
  expect(outcome).toBeInstanceOf(RunStopped);
  expect(recorded).toEqual([null]);
  expect(added).toBe(0);
}, 60_000);
