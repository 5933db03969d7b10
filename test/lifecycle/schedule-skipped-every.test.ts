/**
 * Every schedule the config holds, not only `lifecycle.schedule`, can name a time that does not
 * exist the day summer time starts at midnight (America/Havana), and BullMQ's schedulers
 * (cron-parser) skip that day's tick: a pipeline's own `schedule` then does not extract that day, and
 * `reconcile.schedule` runs no full check. `config check` and `licbridge schedule` warn of each, at
 * its own line, naming which schedule it is; a schedule that ticks every day is not named.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { skippedTickWarnings } from '../../pipelines/lifecycle/schedule-skipped-day.js';

const FILE = '/etc/licbridge/licbridge.yaml';
const NOW = new Date('2026-01-01T00:00:00Z');

/** The schedules a test writes beside the lifecycle tick. */
type Written = { reconcile?: string; food?: string; fees?: string };

/** A config in America/Havana with a lifecycle tick after the jump, and these other schedules. */
function written(opts: Written): { config: Config; text: string } {
  const lines = [
    'ledger: { url: "sqlite://./ledger.db" }',
    'catalog: ./catalog',
    'lifecycle:',
    '  timeZone: America/Havana',
    '  schedule: "5 1 * * *"',
    ...(opts.reconcile ? ['reconcile:', `  schedule: "${opts.reconcile}"`] : []),
    'pipelines:',
    '  food:',
    '    source: db',
    ...(opts.food ? [`    schedule: "${opts.food}"`] : []),
    '  fees:',
    '    source: db',
    ...(opts.fees ? [`    schedule: "${opts.fees}"`] : []),
  ];
  const pipelines = {
    food: { source: 'db', ...(opts.food ? { schedule: opts.food } : {}) },
    fees: { source: 'db', ...(opts.fees ? { schedule: opts.fees } : {}) },
  };
  const config = {
    file: FILE,
    pipelines,
    lifecycle: { timeZone: 'America/Havana', schedule: '5 1 * * *', pageSize: 500 },
    ...(opts.reconcile ? { reconcile: { schedule: opts.reconcile } } : {}),
  } as unknown as Config;
  return { config, text: `${lines.join('\n')}\n` };
}

const warn = (opts: Written) => {
  const { config, text } = written(opts);
  return skippedTickWarnings(config, text, NOW);
};

describe('every schedule that skips the day summer time starts at midnight', () => {
  it("warns of a pipeline's own schedule at its line, naming the pipeline's setting", () => {
    const warnings = warn({ fees: '30 0 * * *' });
    expect(warnings).toHaveLength(1);
    // Line 11, the value's column.
    expect(warnings[0]).toMatch(new RegExp(`^${FILE}:11:15: pipelines\\.fees\\.schedule: `));
    expect(warnings[0]).toContain('`30 0 * * *`');
    expect(warnings[0]).toContain('America/Havana');
    expect(warnings[0]).toContain('2026-03-08');
    expect(warnings[0]).toContain('2026-03-07');
    expect(warnings[0]).toContain('2026-03-09');
    expect(warnings[0]).toContain('pipeline fees');
    expect(warnings[0]).toContain('`30 1 * * *`');
  });

  it('warns of reconcile.schedule at its line, naming the pipelines whose full check is skipped', () => {
    const warnings = warn({ reconcile: '15 0 * * *' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^${FILE}:7:13: reconcile\\.schedule: `));
    expect(warnings[0]).toContain('`15 0 * * *`');
    expect(warnings[0]).toContain('2026-03-08');
    expect(warnings[0]).toContain('pipeline food');
    expect(warnings[0]).toContain('pipeline fees');
  });

  it('warns of each skipping schedule once, and of none that ticks every day', () => {
    const warnings = warn({ reconcile: '15 0 * * *', food: '0 0 * * *', fees: '0 3 * * *' });
    expect(warnings).toHaveLength(2);
    expect(warnings.some((w) => w.includes(': pipelines.food.schedule: '))).toBe(true);
    expect(warnings.some((w) => w.includes(': reconcile.schedule: '))).toBe(true);
    expect(warnings.join('\n')).not.toContain('pipelines.fees');
    expect(warnings.join('\n')).not.toContain('lifecycle.schedule');
    // The default full check, 0 2 * * *, is after Havana's jump to 01:00.
    expect(warn({ food: '5 3 * * *' })).toEqual([]);
  });
});
