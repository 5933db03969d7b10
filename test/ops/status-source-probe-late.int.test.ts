/**
 * A source `status` gave up on (its open or its check took longer than `--timeout`) is closed all
 * the same: one left open kept its connections, and the command's process, running after the report.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const fake = vi.hoisted(() => ({
  mode: 'check' as 'check' | 'open',
  closed: 0,
}));
vi.mock('../../connectors/open-source.js', () => ({
  openSource: () => {
    const conn = {
      checkConnection: () => (fake.mode === 'check' ? new Promise(() => undefined) : Promise.resolve()),
      close: async () => {
        fake.closed += 1;
      },
    };
    return fake.mode === 'open'
      ? new Promise((resolve) => setTimeout(() => resolve(conn), 200))
      : Promise.resolve(conn);
  },
}));

describe('status: a source probe that runs out of time', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
  });
  afterAll(async () => ws?.cleanup());

  it.each(['check', 'open'] as const)('closes the source when its %s is given up on', async (mode) => {
    fake.mode = mode;
    fake.closed = 0;
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const report = await collectStatus(config, { error: 'down' }, { error: 'down' }, { timeoutMs: 50 });
    expect(report.sources['market-food']).toMatchObject({ ok: false });
    await vi.waitFor(() => expect(fake.closed).toBe(1), { timeout: 2000 });
  });
});
