/**
 * Every counter of a configured pipeline (and of each of its targets and its seal) is exported from
 * 0 before the ledger holds anything of it. Prometheus computes `increase()` and `rate()` from the
 * samples it has: a series first seen at 1 has risen by nothing it can tell. A new pipeline's
 * first run that failed appeared as `runs_failed_total 1` and `increase(runs_failed_total[1h]) > 0`,
 * the alert docs/operations.md gives for a failure a later run replaced, never fired; nor did its
 * first delivery attempts or rows read show in any rate.
 */
import { describe, expect, it } from 'vitest';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { everyScrapeFresh, metricsSetUp, metricValue, quietLogger } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';
const TARGET = 'province';
const SEAL = '3702110000001';

describe('/metrics: counters of configured pipelines start at 0', () => {
  const t = metricsSetUp({ rows: 6, configure: everyScrapeFresh });

  it('exports 0 before any run, then the counts once runs are done', async () => {
    const before = await t.scrapeAfresh();
    const zeroes = {
      runs: metricValue(before, 'licbridge_runs_total', { pipeline: PIPELINE }),
      failed: metricValue(before, 'licbridge_runs_failed_total', { pipeline: PIPELINE }),
      read: metricValue(before, 'licbridge_rows_read_total', { pipeline: PIPELINE }),
      created: metricValue(before, 'licbridge_licenses_created_total', { pipeline: PIPELINE }),
      unchanged: metricValue(before, 'licbridge_rows_unchanged_total', { pipeline: PIPELINE }),
      signatures: metricValue(before, 'licbridge_signatures_total', { pipeline: PIPELINE, seal: SEAL }),
      attempts: metricValue(before, 'licbridge_delivery_attempts_total', {
        pipeline: PIPELINE,
        target: TARGET,
      }),
      retries: metricValue(before, 'licbridge_delivery_retries_total', {
        pipeline: PIPELINE,
        target: TARGET,
      }),
      dead: metricValue(before, 'licbridge_dead_letters', { pipeline: PIPELINE, target: TARGET }),
    };
    expect(zeroes).toEqual({
      runs: 0,
      failed: 0,
      read: 0,
      created: 0,
      unchanged: 0,
      signatures: 0,
      attempts: 0,
      retries: 0,
      dead: 0,
    });

    await runPipelines(t.config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
    const after = await t.scrapeAfresh();
    expect(metricValue(after, 'licbridge_runs_total', { pipeline: PIPELINE })).toBe(1);
    expect(metricValue(after, 'licbridge_rows_read_total', { pipeline: PIPELINE })).toBeGreaterThan(0);
    expect(
      metricValue(after, 'licbridge_signatures_total', { pipeline: PIPELINE, seal: SEAL }),
    ).toBeGreaterThan(0);
    expect(
      metricValue(after, 'licbridge_delivery_attempts_total', { pipeline: PIPELINE, target: TARGET }),
    ).toBeGreaterThan(0);
    // One series each: the zero never stands beside the ledger's count.
    const lines = after.split('\n').filter((l) => l.startsWith('licbridge_runs_total{'));
    expect(lines).toHaveLength(1);
  }, 120_000);
});
