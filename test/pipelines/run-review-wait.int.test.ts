import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { runExitCode } from '../../cli/commands/run.js';
import { statusText } from '../../cli/commands/status.js';
import { summaryTable } from '../../cli/summary.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { lookStatus } from '../../pipelines/observability/status-look.js';
import { processOwner, runOwnerAlive, STALE_MS } from '../../pipelines/run-liveness.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';

/**
 * A platform that accepts first and judges later answers every send `submitted`; its verdict comes
 * from later status requests, here after more time than the run's idle timeout. Nothing is wrong
 * then: the run waits for the verdicts, up to `reviewWaitMs`, and past it ends `in-review`,
 * counting the deliveries still reviewed, instead of failing with "nothing moved".
 */
describe('licbridge run with a platform reviewing longer than its idle timeout', () => {
  let ws: DemoWorkspace | undefined;
  let platform: ProvinceSimulator | undefined;
  afterEach(async () => {
    await platform?.close();
    await ws?.cleanup();
  });

  async function setUp(polls: number) {
    ws = await createDemoWorkspace({ rows: 20 });
    platform = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      // Status requests answered `submitted` before the verdict: the deliver job asks after
      // 250 ms, then doubles its pause: the verdict comes after about 4 s.
      review: { polls },
    });
    await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: platform.url }));
    return loadConfig({ file: ws.configFile, env: {} });
  }

  it('waits past the idle timeout for verdicts that come, and ends done', async () => {
    const config = await setUp(3);
    const [s] = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: false,
      logger,
      sweepAfterMs: 200,
      idleTimeoutMs: 1000,
      reviewWaitMs: 120_000,
    });
    expect(s?.state).toBe('done');
    expect(s?.created).toBe(20);
    expect(s?.delivered.province).toBe(20);
    expect(s?.inReview).toBeUndefined();
    expect(platform?.stats().accepted).toBe(20);
  });

  it('ends in-review once no verdict came for reviewWaitMs, counting the deliveries, exit code 0', async () => {
    const loaded = await setUp(1_000_000);
    // The target's own knob, as a config sets it.
    const province = { ...loaded.targets.province, reviewWaitMs: 2500 } as (typeof loaded.targets)[string];
    const config = { ...loaded, targets: { ...loaded.targets, province } };
    const runs = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: false,
      logger,
      sweepAfterMs: 200,
      idleTimeoutMs: 1000,
    });
    const [s] = runs;
    expect(s?.state).toBe('in-review');
    expect(s?.error).toBeUndefined();
    expect(s?.signed).toBe(20);
    expect(s?.delivered.province).toBe(0);
    expect(s?.inReview).toEqual({ province: 20 });
    expect(runExitCode(runs)).toBeUndefined();
    expect(summaryTable(runs)).toContain('still in review: province 20');
    // Not failed nor abandoned: left `running`, for its deliver jobs to complete once decided.
    const ledger = await openLedger(`sqlite://${join(ws?.dir ?? '', 'data', 'ledger.db')}`);
    try {
      const run = await ledger.getRun(s?.runId ?? '');
      expect(run?.state).toBe('running');
      // Let go by its process: once that process is gone (its heartbeat stale), `status` and the
      // next run do not take it for abandoned, and a late heartbeat does not take it back.
      expect(run && runOwnerAlive(run, Date.now() + STALE_MS + 1000)).toBe(true);
      await ledger.heartbeatRuns([s?.runId ?? ''], processOwner());
      const beaten = await ledger.getRun(s?.runId ?? '');
      expect(beaten && runOwnerAlive(beaten, Date.now() + STALE_MS + 1000)).toBe(true);
    } finally {
      await ledger.close();
    }
    // Status says so too: waiting on the platform's verdicts, not delivering; the one thing to do is
    // to start a worker for the deliver jobs asking again.
    const report = await lookStatus(config, logger, { probeSources: false, lagLimit: 10, timeoutMs: 5000 });
    const shown = report.pipelines.find((p) => p.pipeline === PIPELINE)?.lastRun;
    expect(shown?.stage).toBe('in-review');
    expect(statusText(report)).toContain(`last run: in-review incremental, started ${shown?.startedAt}\n`);
    expect(statusText(report)).toContain(
      '  target province: delivered 0, pending 20 (in review at the platform 20), dead letters 0\n',
    );
    const kinds = Object.entries(report.attentionByKind).filter(([, n]) => n > 0);
    expect(kinds).toEqual([['queue-unworked', 1]]);
  });
});
