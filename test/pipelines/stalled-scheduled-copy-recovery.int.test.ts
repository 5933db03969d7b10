/**
 * A scheduled run has no `licbridge run` to recover for it, so its extract job first closes the
 * pipeline's runs whose extract job is gone and queues the deliveries no job holds (Redis lost
 * them). A scheduled job's copy, queued again under a fresh id after it stalled out, carries its
 * run's id (workers/stalled-scheduled.ts), and that recovery was keyed on the job carrying no run
 * id: the copy skipped it, and the deliveries Redis lost waited for the next firing. It is keyed on
 * the run being a scheduled one now.
 */
import { expect, it } from 'vitest';
import { SCHEDULED } from '../../pipelines/run-liveness.js';
import { demoRuntime } from '../support/demo-runtime.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const demo = demoRuntime(6);

it('a stalled-out copy of a scheduled extract job queues the deliveries Redis lost', async () => {
  const { queues: q } = demo;
  // Extract and sign only: the deliveries stay queued.
  demo.start(['extract', 'sign']);
  const province = q.deliver.get('province');
  if (!province) throw new Error('no deliver queue for province');
  const deliver = province;
  const waiting = async () => (await deliver.getJobCounts('waiting')).waiting ?? 0;
  const completed = (jobId: string) => async () => (await q.extract.getJobState(jobId)) === 'completed';
  // A scheduler's firing (no run id of its own; its job id as a job scheduler names it): read,
  // signed, its deliveries queued.
  await q.extract.add('extract', { pipeline: PIPELINE, full: false } as never, { jobId: 'repeat:food:1' });
  await until(completed('repeat:food:1'));
  await until(async () => (await waiting()) > 0);
  // Redis loses the deliver queue.
  await deliver.obliterate({ force: true });
  expect(await waiting()).toBe(0);

  // The copy of a later firing that stalled out, carrying that firing's run id.
  await q.extract.add(
    'extract',
    { pipeline: PIPELINE, full: false, runId: `${SCHEDULED}repeat:food:2` },
    { jobId: 'repeat:food:2-stalled-1' },
  );
  await until(completed('repeat:food:2-stalled-1'));
  expect(await waiting()).toBeGreaterThan(0);
}, 90_000);
