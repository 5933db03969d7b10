/**
 * Outside its source's `readWindow` a source may not be read and answers a read with no rows.
 * Preview took that for an empty table: "0 row(s) read", exit 0, and the engineer went looking for
 * a fault in the mapping. It now refuses, naming the source, its window and the host time, and
 * opens no connection; inside the window it reads as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { previewPipeline } from '../../pipelines/preview.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const HOUR = 3600_000;

/** `HH:MM`, host-local, of now plus `ms`. */
const at = (ms: number) => {
  const d = new Date(Date.now() + ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

describe('preview and the source read window', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
  });
  afterAll(async () => ws?.cleanup());

  async function withWindow(window: string): Promise<Readonly<Config>> {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    return {
      ...config,
      sources: {
        ...config.sources,
        'market-food': { ...config.sources['market-food'], readWindow: window } as never,
      },
    };
  }

  it('refuses outside the window, naming the source, the window and the host time', async () => {
    const window = `${at(2 * HOUR)}-${at(3 * HOUR)}`;
    const config = await withWindow(window);
    const error = await previewPipeline(config, PIPELINE, { limit: 5, offset: 0 }).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(error?.code).toBe('LB_USAGE');
    expect(error?.message).toContain(
      `preview: source market-food is read only in its readWindow \`${window}\` (sources.market-food.readWindow in ${ws.configFile})`,
    );
    expect(error?.message).toMatch(/host time is \d\d:\d\d/);
  });

  it('reads inside the window', async () => {
    const config = await withWindow(`${at(-HOUR)}-${at(HOUR)}`);
    const preview = await previewPipeline(config, PIPELINE, { limit: 5, offset: 0 });
    expect(preview.counts.read).toBeGreaterThan(0);
  });
});
