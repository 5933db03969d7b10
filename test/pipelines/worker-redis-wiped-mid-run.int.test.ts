/**
 * A deployment of `licbridge worker`s alone, no `licbridge run` to sweep: Redis loses every key of
 * the deployment (a flush, a restart without persistence) while a scheduled run is delivering,
 * its extraction over. The schedulers went with it, and so did the deliver jobs; the ledger still
 * knows what is owed. Once a worker's check installs the schedules again, the day's lifecycle tick
 * (its time come today) is queued at once and queues from the ledger what no job holds: the run's
 * versions are delivered, each once, and the run ends `done`, without waiting for the next
 * scheduled run.
 *
 * What a job still running at the loss holds (its leases) the tick leaves to it; such a job that
 * then waited (an earlier version on its way, another job's lease) or retried lost its move with
 * its key and, with it, those deliveries: the run stayed `running`, most often under a loaded
 * machine, where the tick came while jobs still ran (pipelines/workers/lost-jobs.ts; the cause
 * alone: deliver-job-lost-from-redis). The platform here holds every request after the first
 * until Redis is emptied and the schedules installed again, so that deliveries are owed, and jobs
 * run, at the loss whatever the machine's speed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { reinstallMissing } from '../../pipelines/schedule-keeper.js';
import { syncSchedules } from '../../pipelines/schedules.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';
import { wipeAtOnce } from '../support/redis-wipe.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const SEAL = '3702110000001';
const quiet = createLogger({ level: 'silent' });

/**
 * `adapter` with its requests after the first held until `open` is called: the first lets the run
 * start delivering, the rest wait, their jobs running, until Redis is emptied.
 */
function heldAfterFirst(adapter: TargetAdapter): { adapter: TargetAdapter; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let first = true;
  const gate = async (): Promise<void> => {
    if (first) first = false;
    else await opened;
  };
  const held = new Proxy(adapter, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'deliver' || prop === 'poll')
        return async (...args: unknown[]) => {
          await gate();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      return value.bind(target);
    },
  });
  return { adapter: held, open: () => open() };
}

let ws: DemoWorkspace;
let province: ProvinceSimulator;
let rt: Runtime;
let queues: QueueSet;
let workers: WorkerSet | undefined;
let openPlatform: () => void;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 250, seed: 6 });
  province = await startProvinceSimulator({
    port: 0,
    auth: { appKey: 'test-app', secret: DEMO_SECRET },
  });
  await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: province.url }));
  const yaml = await readFile(ws.configFile, 'utf8');
  // Nightly runs; the tick at local midnight, so today's has always come.
  await writeFile(
    ws.configFile,
    `${yaml.replace('    pageSize: 100\n', '    pageSize: 100\n    schedule: "0 2 * * *"\n')}lifecycle: { schedule: "0 0 * * *" }\n`,
  );
  const config = await loadConfig({ file: ws.configFile, env: {} });
  rt = new Runtime(config, quiet);
  const platform = heldAfterFirst(await rt.target('province'));
  (rt as unknown as { target: () => Promise<TargetAdapter> }).target = async () => platform.adapter;
  openPlatform = platform.open;
  queues = createQueues(queueConnection(config.queue.redis), ws.prefix, ['province'], quiet);
}, 120_000);

afterAll(async () => {
  openPlatform?.();
  await workers?.close();
  await queues?.close();
  await rt?.close();
  await province?.close();
  await ws?.cleanup();
});

it('the lost deliveries of a scheduled run go out once the schedules are installed again', async () => {
  await syncSchedules(rt.config, queues);
  workers = startWorkers(rt, {
    connection: queueConnection(rt.config.queue.redis),
    prefix: ws.prefix,
    queues,
    stages: ['extract', 'sign', 'deliver', 'lifecycle'],
  });
  // A scheduled run's job, as its scheduler adds it: no run id.
  await queues.extract.add('extract', { pipeline: PIPELINE, runId: '', full: false });
  const ledger = await rt.ledger();
  await until(() => province.stats().accepted > 0, 60_000, { what: 'a first delivery' });
  const [run] = await ledger.runningRuns();
  expect(run?.runId).toMatch(/^scheduled-/);
  // Wiped while delivering, its extraction over: on a loaded machine the first delivery can come
  // while pages are still read, and an extraction whose job Redis lost is the next scheduled run's.
  await until(async () => (await ledger.getRun(run?.runId ?? ''))?.extractedAt != null, 60_000, {
    what: 'the extraction finished',
  });
  // One request of 100 licenses at most has been answered: the rest are owed, signed or not yet.
  const owed = await ledger.pipelineBacklog(PIPELINE, SEAL, ['province']);
  expect(owed.unsigned + (owed.undelivered.province ?? 0)).toBeGreaterThan(0);
  await wipeAtOnce(ws.prefix);

  // A worker's check (every minute, or on a reconnect) finds the schedules gone.
  await reinstallMissing(rt.config, queues, quiet);
  openPlatform();
  await until(async () => (await ledger.getRun(run?.runId ?? ''))?.state === 'done', 120_000, {
    what: 'the scheduled run done',
  });
  const versions = await ledger.versionPage({ afterVersionId: 0, limit: 100_000, pipeline: PIPELINE });
  expect(await ledger.pipelineBacklog(PIPELINE, SEAL, ['province'])).toEqual({
    unsigned: 0,
    undelivered: { province: 0 },
  });
  expect(province.stats().accepted).toBe(versions.length);
  expect(province.stats().duplicates).toBe(0);
}, 240_000);
