/**
 * A run that ends `abandoned` (its process killed, its extract job gone) did not finish its work:
 * the one alert rule the docs suggest, `last_run_failed == 1`, must fire for it as for a failed
 * run, and `runs_failed_total` must count it — once, and never less later, even when another
 * worker takes the abandoned run up again and finishes it. Needs Redis.
 */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { everyScrapeFresh, metricsSetUp, metricValue } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';
/** No process has this id: the kernel's pid_max is at most 2^22. */
const DEAD_PID = 4_194_304 + 17;

describe('metrics: an abandoned run is a run that did not finish', { timeout: 60_000 }, () => {
  const t = metricsSetUp({ configure: everyScrapeFresh });

  const scrape = async () => {
    const text = await t.scrapeAfresh();
    return {
      lastFailed: metricValue(text, 'licbridge_last_run_failed', { pipeline: PIPELINE }),
      failedTotal: metricValue(text, 'licbridge_runs_failed_total', { pipeline: PIPELINE }),
    };
  };

  it('a run ended abandoned sets last_run_failed and counts in runs_failed_total', async () => {
    await t.ledger.startRun({ runId: 'run-1', pipeline: PIPELINE, mode: 'incremental' });
    await t.ledger.finishRun('run-1', { state: 'done' });
    expect(await scrape()).toEqual({ lastFailed: 0, failedTotal: 0 });
    await t.ledger.startRun({ runId: 'run-2', pipeline: PIPELINE, mode: 'incremental', owner: 'h 1' });
    await t.ledger.finishRun('run-2', { state: 'abandoned', error: 'stopped (SIGTERM)' });
    expect(await scrape()).toEqual({ lastFailed: 1, failedTotal: 1 });
  });

  it('an abandoned run taken up again and finished still counts once', async () => {
    // Another worker's retried extract job takes the run over (ledger startRun with an owner).
    await t.ledger.startRun({ runId: 'run-2', pipeline: PIPELINE, mode: 'incremental', owner: 'h 2' });
    await t.ledger.finishRun('run-2', { state: 'abandoned', error: 'stopped again' });
    expect(await scrape()).toEqual({ lastFailed: 1, failedTotal: 1 });
    await t.ledger.startRun({ runId: 'run-2', pipeline: PIPELINE, mode: 'incremental', owner: 'h 3' });
    await t.ledger.finishRun('run-2', { state: 'done' });
    expect(await scrape()).toEqual({ lastFailed: 0, failedTotal: 1 });
    await t.ledger.startRun({ runId: 'run-3', pipeline: PIPELINE, mode: 'incremental' });
    await t.ledger.finishRun('run-3', { state: 'failed', error: 'source: unreachable' });
    expect(await scrape()).toEqual({ lastFailed: 1, failedTotal: 2 });
  });

  it('a running run whose process is gone sets last_run_failed before anything marks it', async () => {
    await t.ledger.startRun({
      runId: 'run-4',
      pipeline: PIPELINE,
      mode: 'incremental',
      owner: `${hostname()} ${DEAD_PID}`,
    });
    // Still `running` in the ledger, shown `abandoned` by `licbridge status`: not counted yet.
    expect(await scrape()).toEqual({ lastFailed: 1, failedTotal: 2 });
    await t.ledger.finishRun('run-4', { state: 'abandoned', error: 'its process is gone' });
    expect(await scrape()).toEqual({ lastFailed: 1, failedTotal: 3 });
  });
});
