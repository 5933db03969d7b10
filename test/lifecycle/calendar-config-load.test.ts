/**
 * `calendar` and `deadlines` as an operator writes them: defaults applied, an added year loaded,
 * and a wrong day refused at load time with its line, not at the first `status`.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { isWorkingDay } from '../../pipelines/lifecycle/calendar.js';
import { calendarOf } from '../../pipelines/lifecycle/calendar-config.js';
import { deadlineSettings } from '../../pipelines/lifecycle/deadlines.js';
import { KEY_PEM, VALID_CONFIG, writeConfig } from '../config/fixtures.js';

const files = { 'data/keys/seal.key.pem': KEY_PEM };
const env = { LICBRIDGE_PROVINCE_SECRET: 's' };

describe('calendar and deadlines in the config', () => {
  it('defaults: the shipped years, 3 and 5 working days', async () => {
    const config = await loadConfig({ file: await writeConfig(VALID_CONFIG, files), env });
    expect(config.calendar).toEqual({ shipped: true, years: {} });
    expect(config.deadlines).toEqual({ backlogWorkingDays: 3, objectionWorkingDays: 5 });
    expect(deadlineSettings(config)).toEqual({ backlogWorkingDays: 3, objectionWorkingDays: 5 });
    expect(isWorkingDay(calendarOf(config), '2026-02-14')).toBe(true);
  });

  it('an operator year and other deadlines load', async () => {
    const yaml = `${VALID_CONFIG}
calendar:
  years:
    "2027":
      source: the notice for 2027
      holidays: [2027-01-01]
      workdays: [2027-01-03]
deadlines: { backlogWorkingDays: 2, objectionWorkingDays: 4 }
`;
    const config = await loadConfig({ file: await writeConfig(yaml, files), env });
    const cal = calendarOf(config);
    expect([...cal.years].sort()).toEqual([2026, 2027]);
    expect(isWorkingDay(cal, '2027-01-01')).toBe(false);
    expect(isWorkingDay(cal, '2027-01-03')).toBe(true);
    expect(cal.sources.get(2027)).toBe('the notice for 2027');
    expect(deadlineSettings(config)).toEqual({ backlogWorkingDays: 2, objectionWorkingDays: 4 });
  });

  it('refuses a day of another year, an impossible day, a day both off and on, and a typo, with lines', async () => {
    const yaml = `${VALID_CONFIG}
calendar:
  years:
    "2027":
      holidays: [2026-10-01, 2027-02-30, 2027-02-06]
      workdays: [2027-02-06]
      workday: []
`;
    const holidaysLine = yaml.split('\n').findIndex((l) => l.includes('holidays:')) + 1;
    const error = await loadConfig({ file: await writeConfig(yaml, files), env }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const text = (error as Error).message;
    expect(text).toContain(`licbridge.yaml:${holidaysLine}:18: calendar.years.2027.holidays[0]`);
    expect(text).toContain(
      'calendar.years.2027.holidays[0]: expected a day of 2027 as YYYY-MM-DD, got `2026-10-01`',
    );
    expect(text).toContain(
      'calendar.years.2027.holidays[1]: expected a day of 2027 as YYYY-MM-DD, got `2027-02-30`',
    );
    expect(text).toContain(
      'calendar.years.2027.workdays[0]: `2027-02-06` is listed both as a holiday and as a working day',
    );
    expect(text).toContain('calendar.years.2027: unknown key `workday`; did you mean `workdays`?');
  });

  it('refuses a working day that is not a Saturday or Sunday: it would change no count', async () => {
    // 2027-02-08 is a Monday, a working day already: most likely the Sunday before mistyped, and
    // taken as it is, every deadline across it would come a working day late.
    const yaml = `${VALID_CONFIG}
calendar:
  years:
    "2027":
      holidays: [2027-01-01]
      workdays: [2027-01-03, 2027-02-08]
`;
    const line = yaml.split('\n').findIndex((l) => l.includes('workdays:')) + 1;
    const error = await loadConfig({ file: await writeConfig(yaml, files), env }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const text = (error as Error).message;
    expect(text).toContain(`licbridge.yaml:${line}:30: calendar.years.2027.workdays[1]`);
    expect(text).toContain(
      'calendar.years.2027.workdays[1]: `2027-02-08` is a Monday, a working day already; workdays lists the Saturdays and Sundays worked (调休上班)',
    );
    expect(text).not.toContain('workdays[0]');
  });
});
