/**
 * Discovery counts every table's rows (a full scan each) whatever the hour: outside the source's
 * `readWindow`, the hours its department allows licbridge to read, it now refuses, naming the
 * window and the host time, and opens no connection, as preview does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { discoverSource } from '../../pipelines/discover.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const HOUR = 3600_000;

/** `HH:MM`, host-local, of now plus `ms`. */
const at = (ms: number) => {
  const d = new Date(Date.now() + ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

describe('discover and the source read window', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
  });
  afterAll(async () => ws?.cleanup());

  async function withWindow(window: string): Promise<Config> {
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
    const error = await discoverSource(await withWindow(window), 'market-food').then(
      () => undefined,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(error?.code).toBe('LB_USAGE');
    expect(error?.message).toContain(
      `discover: source market-food is read only in its readWindow \`${window}\` (sources.market-food.readWindow in ${ws.configFile})`,
    );
    // The window is read in the host's zone, which need not be the department's: named with it.
    const offset = -new Date().getTimezoneOffset();
    const two = (n: number) => String(n).padStart(2, '0');
    const zone = `UTC${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
    expect(error?.message).toMatch(/host time is \d\d:\d\d \(/);
    expect(error?.message).toContain(` (${zone}): nothing was read`);
  });

  it('discovers inside the window', async () => {
    const { tables } = await discoverSource(await withWindow(`${at(-HOUR)}-${at(HOUR)}`), 'market-food');
    expect(tables.find((t) => t.name === 'T_SPXK_XKZ')?.rowCount).toBe(5);
  });
});
