/**
 * A light check told to stop stops reading even from a source connector that does not heed the
 * signal it is given: the check asks for no chunk after the stop, where it read such a source to
 * its end (every key, minutes on a large one) and only then gave up.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 5 });
}, 60_000);
afterAll(async () => ws?.cleanup());

it('asks a connector that ignores the signal for no chunk after the stop', async () => {
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const rt = new Runtime(config, createLogger({ level: 'silent' }));
  const stop = new AbortController();
  let chunks = 0;
  try {
    const parts = await rt.pipeline(PIPELINE);
    // A connector of its own kind: yields 100 chunks whatever the signal says.
    parts.source.keys = async function* (_stream: StreamSpec) {
      for (let i = 0; i < 100; i += 1) {
        chunks += 1;
        if (chunks === 2) stop.abort('SIGTERM');
        yield [`K${i}`];
      }
    };
    const failure = await reconcilePipeline(rt, {
      pipeline: PIPELINE,
      mode: 'light',
      signal: stop.signal,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBe('SIGTERM');
  } finally {
    await rt.close();
  }
  expect(chunks).toBe(2);
}, 60_000);
