import type { RunSummary } from '../../pipelines/run-pipelines.js';

/** A run of pipeline `food` done, its ten rows signed and delivered, its light check in agreement. */
export const doneRun = (over: Partial<RunSummary> = {}): RunSummary =>
  ({
    pipeline: 'food',
    runId: 'r1',
    state: 'done',
    read: 10,
    created: 10,
    unchanged: 0,
    quarantined: 0,
    signed: 10,
    delivered: { province: 10 },
    deadLettered: { province: 0 },
    check: { reportId: 'x', sourceKeys: 10, ledgerLicenses: 10, quarantined: 0, differences: 0 },
    ...over,
  }) as RunSummary;
