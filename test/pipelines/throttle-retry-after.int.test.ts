import { readFile, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createSyncWorkspace, type SyncWorkspace } from './sync-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const RETRY_AFTER_S = 1;
// Node may fire a timer up to a millisecond early, and the pause is counted from when the caller
// read the 429, after this proxy passed it on: a few ms below the platform's second is still a wait.
const TIMER_SLACK_MS = 5;

interface Seen {
  path: string;
  status: number;
  sentAt: number;
  answeredAt: number;
}

/**
 * A platform's 429 with Retry-After pauses the target and puts the job back without spending an
 * attempt (docs/sync.md, Retries). With `attempts: 1` a 429 that spent one dead-letters its batch;
 * a proxy in front of the province sees the job ask again (a status request or the batch) only
 * after the wait.
 * throttle.int.test.ts's 40 attempts let a 429 spend attempts unseen.
 */
describe('a 429 with Retry-After spends no attempt and is sent again after the wait', () => {
  let ws: SyncWorkspace;
  let proxy: Server;
  const seen: Seen[] = [];

  beforeAll(async () => {
    // Seed 7 throttles the province's first requests, before anything has landed. 40 rows are one
    // page, one deliver job a target: the province's requests come one after another, so the
    // request after a 429 is the job asking again.
    ws = await createSyncWorkspace({
      rows: 40,
      timeoutMs: 5000,
      // One job at a time: a job another fetch loop had already taken asks of the platform
      // while the queue is paused, and this proxy could not tell its request from the retry.
      targetExtra: '    concurrency: 1',
      provinceFaults: { throttleRate: 0.1, throttleBurst: 2, retryAfterSeconds: RETRY_AFTER_S, seed: 7 },
    });
    const upstream = new URL(ws.province.url);
    proxy = createServer((req, res) => {
      const sentAt = Date.now();
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          seen.push({ path: req.url ?? '', status: answer.statusCode ?? 0, sentAt, answeredAt: Date.now() });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      req.pipe(out);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${upstream.pathname.replace(/\/$/, '')}`;
    const yaml = await readFile(ws.configFile, 'utf8');
    const edited = yaml
      .replace(`url: "${ws.province.url}"`, `url: "${proxyUrl}"`)
      .replaceAll('attempts: 40', 'attempts: 1');
    expect(edited).not.toContain(ws.province.url);
    expect(edited).not.toContain('attempts: 40');
    await writeFile(ws.configFile, edited);
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    await ws?.cleanup();
  });

  it('delivers what a 429 turned away, none dead-lettered, asking again only after Retry-After', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    expect(s?.deadLettered).toEqual({ province: 0, city: 0 });
    expect(s?.delivered).toEqual({ province: s?.created, city: s?.created });

    // The batch a 429 turned away: the job's next request (a status request for what may have
    // landed, or the batch) comes after the platform's second, not the backoff's 20 ms.
    const throttled = seen.filter((r) => r.status === 429 && r.path.endsWith('/batch'));
    expect(throttled.length, JSON.stringify(seen)).toBeGreaterThan(0);
    for (const t of throttled) {
      const next = seen.find((r) => r.sentAt >= t.answeredAt);
      expect(next, 'nothing asked of the province after a batch answered 429').toBeDefined();
      expect((next?.sentAt ?? 0) - t.answeredAt, JSON.stringify(seen)).toBeGreaterThanOrEqual(
        RETRY_AFTER_S * 1000 - TIMER_SLACK_MS,
      );
      const resent = seen.find((r) => r.path === t.path && r.sentAt >= t.answeredAt && r.status === 200);
      expect(resent, 'the batch a 429 turned away was never sent again').toBeDefined();
    }
  });
});
