/**
 * A demo workspace (3 rows) whose signer is a signing server in maintenance
 * (../support/busy-signing-server.ts), its run `runId` extracted by an extract worker: its sign
 * jobs wait, as the sign worker's Retry-After tests start from. The runtime logs at warn into
 * `lines`.
 */
import type { Job } from 'bullmq';
import { pino } from 'pino';
import { expect } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { enqueueExtract } from '../../pipelines/jobs.js';
import { createQueues, type QueueSet, type SignJobData } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers, type WorkerSet } from '../../pipelines/workers.js';
import { type BusySigningServer, startBusySigningServer } from '../support/busy-signing-server.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

export const PIPELINE = 'food-business-licenses';
/** The seal the demo's signer signs with. */
export const SEAL = '3702110000001';

export interface SignJobsWaiting {
  ws: DemoWorkspace;
  busy: BusySigningServer;
  config: Readonly<Config>;
  rt: Runtime;
  ledger: Ledger;
  queues: QueueSet;
  /** The runtime's log lines (warn and above), as parsed JSON. */
  lines: Record<string, unknown>[];
  /** Workers of `stages` over the workspace's queues; the caller closes them. */
  start(stages: ('extract' | 'sign')[]): WorkerSet;
  /** The run's waiting sign jobs taken off the queue, their version ids returned: the test adds its own. */
  takeQueued(): Promise<number[]>;
  /** Closes the queues, the runtime and the server, and removes the workspace and its queues. */
  close(): Promise<void>;
}

export async function signJobsWaiting(options: {
  runId: string;
  /** The server's maintenance: how long it refuses, and the Retry-After it answers with. */
  busy: { busyMs: number; retryAfterSeconds: number };
}): Promise<SignJobsWaiting> {
  const ws = await createDemoWorkspace({ rows: 3 });
  const busy = await startBusySigningServer(ws.configFile, SEAL, options.busy);
  const config = await loadConfig({ file: ws.configFile });
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const rt = new Runtime(config, logger);
  const ledger = await rt.ledger();
  const queues = createQueues(
    queueConnection(config.queue.redis),
    config.queue.prefix,
    ['province'],
    rt.logger,
  );
  const start = (stages: ('extract' | 'sign')[]) =>
    startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      stages,
    });
  const made: SignJobsWaiting = {
    ws,
    busy,
    config,
    rt,
    ledger,
    queues,
    lines,
    start,
    async takeQueued() {
      const queued = (await queues.sign.getJobs(['waiting', 'delayed'])) as Job<SignJobData>[];
      const versionIds = queued.flatMap((j) => j.data.versionIds);
      expect(versionIds.length).toBeGreaterThan(0);
      for (const j of queued) await j.remove();
      return versionIds;
    },
    async close() {
      await queues.close();
      await rt.close();
      await busy.close();
      await obliterate(ws.prefix);
      await ws.cleanup();
    },
  };
  const workers = start(['extract']);
  try {
    await enqueueExtract(queues, { pipeline: PIPELINE, runId: options.runId, full: true });
    // Within a beforeAll's 60 s: loaded with other test files, this extraction has taken over 30 s.
    await until(async () => Boolean((await ledger.getRun(options.runId))?.extractedAt), 50_000);
  } catch (e) {
    await workers.close();
    await made.close();
    throw e;
  }
  await workers.close();
  return made;
}
