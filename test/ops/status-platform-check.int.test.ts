/**
 * Platform differences are found by full checks only: the light check after each run compares no
 * platform, so it must not make `licbridge status` forget what the last full check found there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { licbridge } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';

describe('status: platform differences outlive the light checks after them', { timeout: 60_000 }, () => {
  let ws: DemoWorkspace;
  let ledger: Ledger;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    ledger = await openLedger(config.ledger.url);
  });
  afterAll(async () => {
    await ledger?.close();
    await ws?.cleanup();
  });

  const report = (reportId: string, mode: 'full' | 'light', byKind: Record<string, number>) =>
    ledger.saveReport({
      reportId,
      pipeline: PIPELINE,
      mode,
      differences: Object.values(byKind).reduce((a, b) => a + b, 0),
      summary: { byKind },
      report: {},
    });
  const status = () => licbridge(['status', '--no-sources', '--config', ws.configFile]);

  it('keeps the status drift a full check found after a clean light check, until a full check clears it', async () => {
    await report('r1-full', 'full', { 'status-drift': 2 });
    const found = await status();
    expect(found.status, found.stdout).toBe(3);
    expect(found.stdout).toContain('found 2 license(s) a platform holds otherwise than the ledger');

    // The run after it: its light check finds no key missing, and asks no platform.
    await report('r2-light', 'light', {});
    const after = await status();
    expect(after.status, after.stdout).toBe(3);
    expect(after.stdout).toMatch(/the last check \(report r1-full\) found 2 license\(s\) a platform holds/);

    await report('r3-full', 'full', {});
    const cleared = await status();
    expect(cleared.status, cleared.stdout).toBe(0);
  });
});
