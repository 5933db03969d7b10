/**
 * `licbridge run` leases its pipelines first thing, and each step of its start after that may wait
 * on Redis or the ledger up to the idle timeout (a scan of a long extract queue, a backlog count
 * on a loaded ledger). The heartbeat that renews the leases and beats for the runs started only
 * once every run was started: a start longer than a lease (30 s) let the leases run out under it,
 * and another run (a scheduled firing) could take the pipeline and extract beside this one; a run
 * started early in a long start looked abandoned to other processes. The heartbeat now starts with
 * the leases. Here the look for runs left by a dead process waits until the leases are renewed,
 * bounded by the run's idle timeout: a start whose leases nothing renews fails on that bound.
 */
import { expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { letGo } from '../../pipelines/run-end.js';
import { HEARTBEAT_MS, processOwner } from '../../pipelines/run-liveness.js';
import { type RunHold, startRuns } from '../../pipelines/run-start.js';
import { Runtime } from '../../pipelines/runtime.js';
import { demoConfig } from '../support/demo-config.js';

const PIPELINE = 'food-business-licenses';
const log = createLogger({ level: 'silent' });
const demo = demoConfig(5);

it('renews its pipelines’ leases while its start still looks for runs left by a dead process', async () => {
  const rt = new Runtime(demo.config, log);
  const connection = queueConnection(demo.config.queue.redis);
  const queues = createQueues(connection, demo.config.queue.prefix, ['province'], log);
  const hold: RunHold = { owner: processOwner(), runs: [] };
  const ledger = await rt.ledger();
  // The lease renewals made while the start waits.
  const renewed: string[] = [];
  let onRenew: () => void = () => undefined;
  const renewedOnce = new Promise<void>((resolve) => {
    onRenew = resolve;
  });
  const renew = ledger.pipelineLeases.renew.bind(ledger.pipelineLeases);
  Object.assign(ledger.pipelineLeases, {
    renew: async (...args: Parameters<typeof renew>) => {
      const answer = await renew(...args);
      renewed.push(args[0]);
      onRenew();
      return answer;
    },
  });
  // The first look at running runs (markAbandoned, after the leases are taken) waits for a renewal.
  const runningRuns = ledger.runningRuns.bind(ledger);
  let looked = false;
  Object.assign(ledger, {
    runningRuns: async () => {
      if (!looked) {
        looked = true;
        await renewedOnce;
      }
      return runningRuns();
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
      workInProcess: false,
      // The start's bound on each step: several heartbeats long.
      idleTimeoutMs: 5 * HEARTBEAT_MS,
    },
    hold,
  ).then(
    () => 'started',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
  await letGo(rt, queues, hold, false, log);
  expect(outcome).toBe('started');
  expect(renewed[0]).toBe(PIPELINE);
}, 60_000);
