/**
 * What `licbridge serve` shows after real runs — the dashboard's jobs (names, data, return values,
 * failure reasons, stack traces, logs) and /metrics — holds no holder's name or ID number, even
 * when a platform refuses every batch with an answer that echoes them (the deliveries are
 * dead-lettered in the ledger; the jobs carry counts).
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const PASSWORD = 'personal-pass-58';
const BASIC = { authorization: `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}` };
const logger = createLogger({ level: 'silent' });

let ws: DemoWorkspace;
let echo: Server;
/** Legal representatives' names and ID numbers of the demo department. */
let personal: string[] = [];

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 12, seed: 11 });
  const db = new Database(ws.legacyDb, { readonly: true });
  const rows = db.prepare('SELECT FDDBR, FDDBRSFZ FROM T_SPXK_XKZ').all() as {
    FDDBR: string;
    FDDBRSFZ: string;
  }[];
  db.close();
  personal = rows.flatMap((r) => [r.FDDBR, r.FDDBRSFZ]).filter((v) => typeof v === 'string' && v.length >= 2);
  // A platform that refuses every request and echoes what it was sent, as some gateways do.
  echo = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      res.statusCode = 401;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ reason: personal[1], message: `refused: ${body.slice(0, 4000)}` }));
    });
  });
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
}, 60_000);

afterAll(async () => {
  echo?.close();
  await ws?.cleanup();
});

describe('serve shows references, never personal data', () => {
  it('holds no name or ID number in any job the dashboard lists, nor in /metrics', async () => {
    expect(personal.length).toBeGreaterThan(10);
    const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const file = join(ws.dir, 'personal.yaml');
    await writeFile(
      file,
      `${demoConfigYaml({ prefix: ws.prefix, simulatorUrl: echoUrl })}serve: { port: 0, auth: { username: ops, password: ${PASSWORD} } }\nmetrics: { lagIntervalMs: 0, cacheMs: 0 }\n`,
    );
    const config = await loadConfig({ file, env: {} });
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });

    const server = await startOpsServer(config, logger);
    try {
      const list = (await (await fetch(`${server.url}/dashboard/api/queues`, { headers: BASIC })).json()) as {
        queues: { name: string }[];
      };
      const seen: string[] = [];
      let jobs = 0;
      for (const { name } of list.queues) {
        for (const status of ['completed', 'failed', 'waiting', 'delayed']) {
          const url = `${server.url}/dashboard/api/queues?activeQueue=${name}&status=${status}&page=1&jobsPerPage=1000`;
          const body = (await (await fetch(url, { headers: BASIC })).json()) as {
            queues: { name: string; jobs: { id: string }[] }[];
          };
          const q = body.queues.find((x) => x.name === name);
          for (const job of q?.jobs ?? []) {
            jobs += 1;
            seen.push(JSON.stringify(job));
            const logs = await fetch(`${server.url}/dashboard/api/queues/${name}/${job.id}/logs`, {
              headers: BASIC,
            });
            seen.push(await logs.text());
          }
        }
      }
      // The run went as far as the platform: extract, sign, and a delivery it refused.
      expect(jobs).toBeGreaterThanOrEqual(3);
      expect(seen.join('\n')).toMatch(/"dead":[1-9]/);
      seen.push(await (await fetch(`${server.url}/metrics`)).text());
      const text = seen.join('\n');
      for (const value of personal) expect(text).not.toContain(value);
    } finally {
      await server.close();
    }
  }, 120_000);
});
