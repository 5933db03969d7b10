/**
 * `licbridge run` while its sign job waits out a signing server's Retry-After (503 with
 * `Retry-After: 2`, longer than this signer waits, `maxBackoffMs: 1000`: the job is deferred 2 s
 * without spending an attempt). Nothing moves meanwhile, so the run sweeps every `sweepAfterMs`;
 * the sweep must not queue the pipeline's unsigned versions again while a sign job of the
 * pipeline is delayed. Before, each sweep queued a fresh sign job, which asked the server in
 * maintenance at once and was deferred in turn: a refusal every sweep instead of one, and as
 * many jobs waking together.
 */

import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { type BusySigningServer, startBusySigningServer } from '../support/busy-signing-server.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const SEAL = '3702110000001';
const BUSY_MS = 1500;

let ws: DemoWorkspace;
let busy: BusySigningServer;
let config: Readonly<Config>;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
  busy = await startBusySigningServer(ws.configFile, SEAL, { busyMs: BUSY_MS, retryAfterSeconds: 2 });
  config = await loadConfig({ file: ws.configFile });
}, 60_000);

afterAll(async () => {
  await busy?.close();
  await obliterate(ws.prefix);
  await ws.cleanup();
});

it('a run sweeping while its sign job waits out Retry-After queues no second sign job', async () => {
  const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const [summary] = await runPipelines(config, {
    pipelines: [PIPELINE],
    full: true,
    logger,
    sweepAfterMs: 200,
    pollPauseMaxMs: 200,
  });
  expect(summary).toMatchObject({ pipeline: PIPELINE, state: 'done', created: 3, signed: 3 });
  // One sign job asked during the maintenance spell, and waited; no sweep asked again.
  expect(busy.refused).toHaveLength(1);
  const waits = lines.filter((l) => String(l.msg).includes('without spending an attempt'));
  expect(waits).toHaveLength(1);
}, 90_000);
