/**
 * In a zone whose summer time starts at midnight, a `lifecycle.schedule` time before 01:00 (the
 * default `5 0 * * *` too) does not exist on the day the clocks jump, and the schedule BullMQ
 * installs (cron-parser) skips that day's tick: `5 0 * * *` in America/Havana fires on 2026-03-07
 * and then on 2026-03-09. That day's expiries wait a day and a `0`-threshold reminder is never
 * sent. `config check` (and `licbridge schedule`) warn of it at the setting's line, naming the
 * zone and the first day skipped, and suggest `5 1 * * *`; the default zone has no summer time.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { skippedTickWarnings } from '../../pipelines/lifecycle/schedule-skipped-day.js';

const FILE = '/etc/licbridge/licbridge.yaml';
const NOW = new Date('2026-01-01T00:00:00Z');

/** The config and its text, with `lifecycle` holding these lines (none: no section). */
function written(lifecycle: { timeZone?: string; schedule?: string }): { config: Config; text: string } {
  const lines = [
    'ledger: { url: "sqlite://./ledger.db" }',
    'catalog: ./catalog',
    ...(Object.keys(lifecycle).length > 0 ? ['lifecycle:'] : []),
    ...(lifecycle.timeZone ? [`  timeZone: ${lifecycle.timeZone}`] : []),
    ...(lifecycle.schedule ? [`  schedule: "${lifecycle.schedule}"`] : []),
  ];
  // Loaded, the config holds the defaults the file leaves out (config/loader.ts).
  const defaults = { timeZone: 'Asia/Shanghai', schedule: '5 0 * * *', pageSize: 500 };
  const config = { file: FILE, pipelines: {}, lifecycle: { ...defaults, ...lifecycle } } as unknown as Config;
  return { config, text: `${lines.join('\n')}\n` };
}

const warn = (lifecycle: { timeZone?: string; schedule?: string }) => {
  const { config, text } = written(lifecycle);
  return skippedTickWarnings(config, text, NOW);
};

describe('a lifecycle.schedule that skips the day summer time starts', () => {
  it('warns of 5 0 * * * in America/Havana at its line, naming the zone, the day and 5 1 * * *', () => {
    const warnings = warn({ timeZone: 'America/Havana', schedule: '5 0 * * *' });
    expect(warnings).toHaveLength(1);
    // Line 5, the value's column.
    expect(warnings[0]).toMatch(new RegExp(`^${FILE}:5:13: lifecycle\\.schedule: `));
    expect(warnings[0]).toContain('`5 0 * * *`');
    expect(warnings[0]).toContain('America/Havana');
    expect(warnings[0]).toContain('2026-03-08');
    expect(warnings[0]).toContain('2026-03-07');
    expect(warnings[0]).toContain('2026-03-09');
    expect(warnings[0]).toContain('`5 1 * * *`');
  });

  it('warns of the default schedule at the zone that makes it skip a day', () => {
    const warnings = warn({ timeZone: 'America/Havana' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^${FILE}:4:13: lifecycle\\.schedule: `));
    expect(warnings[0]).toContain('`5 0 * * *` (the default)');
    expect(warnings[0]).toContain('2026-03-08');
  });

  it('names the first day skipped in Asia/Beirut and America/Santiago', () => {
    expect(warn({ timeZone: 'Asia/Beirut' })[0]).toContain('2026-03-29');
    expect(warn({ timeZone: 'America/Santiago', schedule: '30 0 * * *' })[0]).toContain('2026-09-06');
  });

  it('says nothing of a time after the jump, nor in a zone without summer time', () => {
    expect(warn({ timeZone: 'America/Havana', schedule: '5 1 * * *' })).toEqual([]);
    expect(warn({})).toEqual([]);
    expect(warn({ timeZone: 'Asia/Shanghai', schedule: '5 0 * * *' })).toEqual([]);
    // Summer time starting at 02:00: 00:05 is there every day.
    expect(warn({ timeZone: 'Europe/Berlin' })).toEqual([]);
    expect(warn({ timeZone: 'America/New_York' })).toEqual([]);
  });

  it('says nothing of a weekly schedule whose day is not the day of the jump', () => {
    // 2026-03-08 is a Sunday: Mondays are never skipped.
    expect(warn({ timeZone: 'America/Havana', schedule: '5 0 * * 1' })).toEqual([]);
    expect(warn({ timeZone: 'America/Havana', schedule: '5 0 * * 0' })[0]).toContain('2026-03-08');
  });
});
