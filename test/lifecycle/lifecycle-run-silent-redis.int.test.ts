/**
 * `licbridge lifecycle run` whose Redis stops answering as the tick ends: the tick's work was
 * done, but its workers, queues and connections were closed with no time limit, and BullMQ's
 * close waits for Redis's answer to QUIT with no end, so the command never printed its summary nor
 * ended. They are now closed within STOP_PART_MS each, as `licbridge run`'s are, connections
 * dropped when the queues are late.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { outcomeWithin, type SilentProxy, silentProxy } from '../support/silent-proxy.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });

describe('lifecycle run: Redis stops answering as the tick ends', () => {
  let ws: DemoWorkspace;
  let proxy: SilentProxy;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 2 });
    // Every connection is answered until it sends QUIT, which is how BullMQ closes a queue or a
    // worker's connection: from then on nothing is answered on it.
    proxy = await silentProxy(6379, /\r\nquit\r\n/i);
    const text = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, text.replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`));
  });
  afterAll(async () => {
    await proxy?.close();
    await ws?.cleanup();
  });

  it('returns its summary', async () => {
    const config = await loadConfig({ file: ws.configFile, env: process.env });
    const tick = runLifecycle(config, { logger, today: '2026-01-05', idleTimeoutMs: 5000 });
    const outcome = await outcomeWithin(40_000, tick);
    expect(proxy.silenced).toBeGreaterThan(0);
    expect(outcome).not.toBe('hung');
    expect(outcome).toMatchObject({ delivery: expect.any(Object) });
  }, 60_000);
});
