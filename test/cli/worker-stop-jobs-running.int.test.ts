/**
 * `licbridge worker` whose shutdown timeout runs out while a job is still running (here a delivery
 * the platform holds unanswered) says so, and how many: a hard stop with none running says that
 * instead, naming what its close waited on (worker-stop-redis-silent.int.test.ts). The count is
 * BullMQ's own (pipelines/workers/jobs-running.ts); lost, every hard stop would read as one with
 * no job running.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type GateProxy, startGateProxy } from '../support/gate-proxy.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace;
let gate: GateProxy;

/** Stops the in-process command as a signal would: its own SIGTERM listeners, called once. */
function sendSigterm(before: ReadonlySet<unknown>): void {
  for (const l of process.listeners('SIGTERM')) {
    if (before.has(l)) continue;
    process.removeListener('SIGTERM', l);
    (l as (signal: string) => void)('SIGTERM');
  }
}

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 1 });
  // Deliveries (POST) wait at the gate, unanswered, until it opens.
  gate = await startGateProxy(ws.simulator.url, { open: false, holds: (method) => method === 'POST' });
  const yaml = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, yaml.replace(ws.simulator.url, gate.url));
});

afterAll(async () => {
  gate?.open();
  await gate?.close();
  await ws?.cleanup();
});

it('a worker stopped hard while a job runs says in-flight jobs did not finish, and how many', async () => {
  const config = await loadConfig({ file: ws.configFile, env: {} });
  // The run queues the work and waits; the worker below does it.
  const stopRun = new AbortController();
  const run = runPipelines(config, {
    pipelines: [PIPELINE],
    full: false,
    logger: createLogger({ level: 'silent' }),
    workInProcess: false,
    stop: stopRun.signal,
  }).catch((e: unknown) => e);
  const before = new Set(process.listeners('SIGTERM'));
  const lines: string[] = [];
  const worker = licbridge(['worker', '--shutdown-timeout', '1000', '--config', ws.configFile], {
    cwd: ws.dir,
    env: { LICBRIDGE_LOG_LEVEL: 'info' },
    timeoutMs: 60_000,
    onStderr: (text) => {
      lines.push(...text.split('\n').filter(Boolean));
    },
  });
  try {
    await until(() => gate.waiting > 0, 30_000, { what: 'a delivery held at the gate' });
    sendSigterm(before);
    const stopped = await worker;
    // The delivery cut off still waits at the gate, its connection open (as a process, the worker
    // ends 5 s after it says it stopped: cli/linger.ts): the status in process tells nothing here.
    expect(stopped.stderr).toContain('worker: stopped');
    const hard = lines
      .map((l) => JSON.parse(l) as { msg?: string; jobs?: number })
      .filter((l) => l.msg?.endsWith('stopping hard'));
    expect(hard).toEqual([
      expect.objectContaining({
        msg: 'worker: in-flight jobs did not finish in time; stopping hard',
        jobs: 1,
      }),
    ]);
  } finally {
    stopRun.abort('SIGTERM');
    gate.open();
    await run;
  }
}, 90_000);
