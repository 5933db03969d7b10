/**
 * With the ledger down, `/metrics` still counts a source the lag probe of `licbridge serve` could
 * not read as unreachable, as it does with the ledger up: two outages at once are two findings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

describe('status: the lag probe failing while the ledger is down', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
  });
  afterAll(async () => ws?.cleanup());

  it('names the source as unreachable beside the ledger', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const report = await collectStatus(
      config,
      { error: 'ledger gone' },
      { error: 'down' },
      {
        probeSources: false,
        knownLagErrors: new Map([['food-business-licenses', 'connection refused']]),
      },
    );
    expect(report.attentionByKind['ledger-unreachable']).toBe(1);
    expect(report.attentionByKind['source-unreachable']).toBe(1);
    expect(report.attention).toContain(
      'source market-food: not reachable: connection refused; check the database and the `sources.market-food` connection',
    );
    expect(report.sources['market-food']).toEqual({ ok: false, error: 'connection refused' });
  });
});
