/**
 * The daily lifecycle tick records a run under every pipeline. Status's "last run" was the newest
 * run of the pipeline, so after 00:05 it was the tick: a failed sync run read as a tick `done`,
 * `run-failed` cleared (for good, for a pipeline run only by hand), and the metrics'
 * `last_run_failed` said 0. The last run is now the newest of the pipeline's source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';

describe('status after a lifecycle tick', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let ledger: Ledger;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 3 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    ledger = await openLedger(config.ledger.url);
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
    await ws?.cleanup();
  });

  it('still names the failed sync run, not the tick that came after it', async () => {
    await ledger.startRun({ runId: 'run-1', pipeline: PIPELINE, mode: 'incremental' });
    await ledger.finishRun('run-1', { state: 'failed', error: 'source unreachable' });
    const before = await collectStatus(config, ledger, { error: 'no redis' }, { probeSources: false });
    expect(before.attentionByKind['run-failed']).toBe(1);

    // The tick starts later than the run, by the ledger's clock (millisecond precision).
    await new Promise((r) => setTimeout(r, 5));
    await ledger.beginLifecycleTick({ pipeline: PIPELINE, day: '2026-12-04', runId: 'lifecycle-x' });
    await ledger.finishLifecycleTick({
      pipeline: PIPELINE,
      day: '2026-12-04',
      runId: 'lifecycle-x',
      expired: 0,
    });
    await ledger.completeRun('lifecycle-x', 'x', ['province']);
    expect((await ledger.getRun('lifecycle-x'))?.mode).toBe('lifecycle');

    const after = await collectStatus(config, ledger, { error: 'no redis' }, { probeSources: false });
    expect(after.attentionByKind['run-failed']).toBe(1);
    expect(after.pipelines[0]?.lastRun).toMatchObject({ runId: 'run-1', state: 'failed' });
    expect((await ledger.lastRun(PIPELINE))?.runId).toBe('run-1');
  });
});
