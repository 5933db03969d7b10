/**
 * A ledger that opens only after `status` gave up waiting for it (a slow database, a migration
 * under way) is closed once it has opened: left open, its connections kept the process running
 * after the report was printed.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Ledger } from '../../ledger/ledger.js';
import { lookStatus } from '../../pipelines/observability/status-look.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { quietLogger } from './ops-fixtures.js';

const late = vi.hoisted(() => ({ close: vi.fn(async () => undefined) }));
vi.mock('../../pipelines/config-ledger.js', () => ({
  openConfigLedger: () =>
    new Promise<Ledger>((resolve) => setTimeout(() => resolve(late as unknown as Ledger), 300)),
}));

describe('status: a ledger that opens after the look gave up on it', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
  });
  afterAll(async () => ws?.cleanup());

  it('is reported as not reachable, and closed once it opens', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const report = await lookStatus(config, quietLogger(), { timeoutMs: 100, probeSources: false });
    expect(report.attention.join('\n')).toContain(
      'ledger: not reachable: ledger: open: no answer within 100 ms',
    );
    await vi.waitFor(() => expect(late.close).toHaveBeenCalledTimes(1), { timeout: 2000 });
  });
});
