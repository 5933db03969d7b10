/**
 * A dead letter an operator discarded (`dlq discard`) while its run was still delivering ends its
 * version at that target (ledger/run-progress.ts, endedAt). The run's summary left it out:
 * "created 3, delivered to province: 2" and no dead letter, one license unaccounted for. It is
 * counted under discarded, in the table and in `--json`; a run without one prints as before.
 */
import { describe, expect, it } from 'vitest';
import { summaryJson, summaryTable } from '../../cli/summary.js';
import { type RunSummary, runDeliveries } from '../../pipelines/run-pipelines.js';

function run(extra: Partial<RunSummary> = {}): RunSummary {
  return {
    pipeline: 'food-business-licenses',
    runId: 'r1',
    state: 'done',
    read: 3,
    created: 3,
    unchanged: 0,
    quarantined: 0,
    signed: 3,
    delivered: { province: 3 },
    deadLettered: { province: 0 },
    ...extra,
  };
}

describe('run summary: dead letters discarded during the run', () => {
  const progress = {
    created: 3,
    signed: 3,
    delivered: { province: 2, city: 3 },
    dead: { province: 0, city: 0 },
    discarded: { province: 1, city: 0 },
  };

  it('counts them per target beside the delivered and dead-lettered ones, the run complete', () => {
    expect(runDeliveries(progress, ['province', 'city'])).toEqual({
      delivered: { province: 2, city: 3 },
      deadLettered: { province: 0, city: 0 },
      discarded: { province: 1, city: 0 },
      worked: true,
    });
    expect(runDeliveries({ ...progress, discarded: { province: 0, city: 0 } }, ['province']).worked).toBe(
      false,
    );
  });

  it('leaves them out when there are none', () => {
    const counts = runDeliveries({ ...progress, delivered: { province: 3 }, discarded: {} }, ['province']);
    expect(counts).toEqual({ delivered: { province: 3 }, deadLettered: { province: 0 }, worked: true });
  });

  it('the table and --json show them', () => {
    const { worked: _, ...counts } = runDeliveries(progress, ['province', 'city']);
    const summary = run({ ...counts });
    expect(summaryTable([summary])).toContain('  delivered to province: 2  discarded: 1\n');
    expect(summaryTable([summary])).toContain('  delivered to city: 3\n');
    const json = JSON.parse(summaryJson([summary])) as { runs: { discarded?: Record<string, number> }[] };
    expect(json.runs[0]?.discarded).toEqual({ province: 1, city: 0 });
  });

  it('a run without any prints as before', () => {
    expect(summaryTable([run()])).toContain('  delivered to province: 3\n');
    expect(summaryJson([run()])).not.toContain('discarded');
  });
});
