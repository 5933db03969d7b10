/**
 * `licbridge run` while its sign job waits out a signing server's Retry-After (503 with
 * `Retry-After: 2`, longer than this signer waits, `maxBackoffMs: 1000`: the job is deferred 2 s
 * without spending an attempt). Nothing moves meanwhile, so the run sweeps every `sweepAfterMs`;
 * the sweep must not queue the pipeline's unsigned versions again while a sign job of the
 * pipeline is delayed. Before, each sweep queued a fresh sign job, which asked the server in
 * maintenance at once and was deferred in turn: a refusal every sweep instead of one, and as
 * many jobs waking together.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import {
  type SigningServerSimulator,
  startSigningServerSimulator,
} from '../../adapters/simulators/signing-server/signing-server-simulator.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const SEAL = '3702110000001';
const BUSY_MS = 1500;

let ws: DemoWorkspace;
let sim: SigningServerSimulator;
let front: Server;
let config: Readonly<Config>;
let busyUntil = 0;
const refused: number[] = [];
const lines: Record<string, unknown>[] = [];

/** The simulator behind a front refusing sign requests with 503 and Retry-After: 2 for BUSY_MS from the first. */
async function startFront(target: string): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const signing = req.method === 'POST' && (req.url ?? '').endsWith('/sign');
      if (signing && busyUntil === 0) busyUntil = Date.now() + BUSY_MS;
      if (signing && Date.now() < busyUntil) {
        refused.push(Date.now());
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' });
        res.end(JSON.stringify({ error: 'maintenance' }));
        return;
      }
      const body = Buffer.concat(chunks);
      fetch(`${target}${req.url}`, {
        method: req.method ?? 'GET',
        headers: { 'content-type': 'application/json' },
        ...(body.length > 0 ? { body } : {}),
      })
        .then(async (r) => {
          res.writeHead(r.status, { 'content-type': 'application/json' });
          res.end(await r.text());
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 3 });
  const pair = generateSm2KeyPair();
  sim = await startSigningServerSimulator({ keys: { [SEAL]: { privateKeyPem: pair.privateKeyPem } } });
  front = await startFront(sim.url);
  const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  const yaml = await readFile(ws.configFile, 'utf8');
  const remote = `district-seal: { kind: remote, url: "${url}", sealId: "${SEAL}", auth: { scheme: none }, attempts: 2, backoffMs: 5, maxBackoffMs: 1000 }`;
  const swapped = yaml.replace(/district-seal: \{ kind: local-sm2.*\}/, remote);
  expect(swapped).not.toBe(yaml);
  await writeFile(ws.configFile, swapped);
  config = await loadConfig({ file: ws.configFile });
}, 60_000);

afterAll(async () => {
  await new Promise<void>((r) => front?.close(() => r()));
  await sim?.close();
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
  expect(refused).toHaveLength(1);
  const waits = lines.filter((l) => String(l.msg).includes('without spending an attempt'));
  expect(waits).toHaveLength(1);
}, 90_000);
