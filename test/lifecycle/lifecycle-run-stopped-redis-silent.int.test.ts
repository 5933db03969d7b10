/**
 * `licbridge lifecycle run` stopped (SIGTERM) while it waits on a Redis that accepted a command and
 * never answers it: the tick's versions being queued. The tick heard a stop only between two steps
 * of its wait, and the step waiting on Redis never ended, so neither did the command: the stop was
 * logged and nothing followed until a second signal killed it. Such a step is now left 5 s after
 * the stop, as `licbridge run` leaves it; the command returns its summary, stopped, its
 * connections dropped.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { outcomeWithin, type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });

describe('lifecycle run stopped while Redis stops answering', () => {
  let ws: DemoWorkspace;
  let proxy: SilentProxy;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 20 });
    // Silent from the first command naming the pipeline in a job's data: the tick's versions
    // queued (a sign job added). Everything before it is answered.
    proxy = await silentProxy(6379, /"pipeline":"food-business-licenses"/);
    // The licenses read and delivered first, Redis answering.
    const [run] = await runPipelines(await loadConfig({ file: ws.configFile, env: {} }), {
      pipelines: [PIPELINE],
      full: false,
      logger,
      idleTimeoutMs: 5000,
    });
    expect(run?.state).toBe('done');
    const text = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, text.replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`));
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await ws?.cleanup();
  });

  it('ends, stopped, with none of its connections open', async () => {
    const config = await loadConfig({ file: ws.configFile, env: process.env });
    const stop = new AbortController();
    // A day after every demo license's last valid day: the tick expires every valid one.
    const tick = runLifecycle(config, { logger, today: '2099-01-01', stop: stop.signal });
    await until(() => proxy.silenced > 0, 30_000, { what: "the tick's versions queued" });
    // And every connection from then on: a Redis frozen.
    proxy.silence();
    stop.abort('SIGTERM');
    // The stop's bound is 5 s, then 5 s for each part of the close: one that waited on Redis for
    // good would still be stopping.
    const outcome = await outcomeWithin(60_000, tick);
    expect(outcome).not.toBe('hung');
    expect(outcome).toMatchObject({ stoppedBy: 'SIGTERM' });
    await until(() => proxy.open === 0, 5_000).catch(() => undefined);
    expect(proxy.open).toBe(0);
  }, 90_000);

  it('starts and queues nothing once a stop came while the pipelines opened', async () => {
    // Redis answers again, but for the tick's jobs. A stop heard while the pipelines' parts open
    // (a source slow to connect) was left behind by the stop's bound when it took long; once they
    // opened, the tick went on: workers started, the versions queued, after the stop's end.
    proxy.speak();
    const before = proxy.silenced;
    const config = await loadConfig({ file: ws.configFile, env: process.env });
    const stop = new AbortController();
    const open = Runtime.prototype.pipeline;
    const opening = vi.spyOn(Runtime.prototype, 'pipeline').mockImplementation(async function (
      this: Runtime,
      name: string,
    ) {
      const parts = await open.call(this, name);
      stop.abort('SIGTERM');
      return parts;
    });
    try {
      const outcome = await outcomeWithin(
        60_000,
        runLifecycle(config, { logger, today: '2099-01-01', stop: stop.signal }),
      );
      expect(opening).toHaveBeenCalled();
      expect(outcome).toMatchObject({ stoppedBy: 'SIGTERM' });
      expect(proxy.silenced - before).toBe(0);
    } finally {
      opening.mockRestore();
    }
  }, 90_000);
});
