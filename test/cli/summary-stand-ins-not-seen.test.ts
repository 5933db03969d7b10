/**
 * The light check after a run counts the keyless rows' stand-in keys no row gives any more: no
 * difference (the check does not fail), but a person's to look at and close. The run's summary
 * printed a check line only for differences, so the count stayed in the stored report, unseen.
 * It now has a line of its own naming the report and the commands; a clean check prints none.
 */
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../cli/summary.js';
import type { RunCheck, RunSummary } from '../../pipelines/run-pipelines.js';

const P = 'food-business-licenses';

function run(check: RunCheck): RunSummary {
  return {
    pipeline: P,
    runId: 'r1',
    state: 'done',
    read: 3,
    created: 1,
    unchanged: 2,
    quarantined: 0,
    signed: 1,
    delivered: {},
    deadLettered: {},
    check,
  };
}

const clean = { reportId: 'rep-1', sourceKeys: 5, ledgerLicenses: 3, quarantined: 2, differences: 0 };

describe('run summary: stand-in keys not seen', () => {
  it('gets a line with no difference, naming the report and the commands', () => {
    const table = summaryTable([run({ ...clean, standInsNotSeen: 3 })]);
    expect(table).toContain(
      `check: 3 stand-in key(s) of rows without a key no row gives any more (report rep-1); \`licbridge reconcile ${P} --light\` names them`,
    );
    expect(table).toContain(`--pipeline ${P} --reason LB_SOURCE_KEY_MISSING`);
    expect(table).not.toContain('apart');
  });

  it('prints no check line for a clean check', () => {
    expect(summaryTable([run(clean)])).not.toContain('check:');
  });
});
