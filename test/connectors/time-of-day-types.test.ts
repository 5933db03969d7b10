/**
 * Which declared cursor types are a time of day without a date (time-of-day-cursor.ts), as each
 * database's catalog names them: refused as a cursor. Dates, date-and-times and intervals are not.
 */
import { describe, expect, it } from 'vitest';
import { isTimeOfDay, timeOfDayCursorProblem } from '../../connectors/sql/time-of-day-cursor.js';

const column = (type: string) => ({
  name: 'GXSJ',
  type,
  nullable: false,
  primaryKey: false,
  unique: false,
  leadsIndex: true,
});

describe('time-of-day cursor types', () => {
  it.each([
    ['postgres', 'time without time zone'],
    ['postgres', 'time(3) without time zone'],
    ['kingbase', 'time with time zone'],
    ['postgres', 'timetz'],
    ['mysql', 'time'],
    ['mysql', 'time(6)'],
    ['mssql', 'time(7)'],
    ['dm', 'TIME'],
    ['dm', 'TIME WITH TIME ZONE'],
  ])('%s `%s` is a time of day', (kind, type) => {
    expect(isTimeOfDay(kind, type)).toBe(true);
  });

  it.each([
    ['postgres', 'timestamp(6) without time zone'],
    ['postgres', 'timestamp with time zone'],
    ['postgres', 'interval'],
    ['mysql', 'datetime(6)'],
    ['mysql', 'timestamp'],
    ['mssql', 'smalldatetime'],
    ['mssql', 'datetimeoffset(7)'],
    ['mssql', 'timestamp'],
    ['oracle', 'INTERVAL DAY(2) TO SECOND(6)'],
    ['oracle', 'TIMESTAMP(6) WITH TIME ZONE'],
    ['dm', 'DATETIME WITH TIME ZONE'],
    ['sqlite', 'TIME'],
  ])('%s `%s` is not', (kind, type) => {
    expect(isTimeOfDay(kind, type)).toBe(false);
  });

  it('the refusal on SQL Server names the column and type, and a query stream without a made-up expression', () => {
    const e = timeOfDayCursorProblem('market-food', 'mssql', 'dbo.T_SPXK_XKZ', column('time(7)'));
    expect(e?.code).toBe('LB_SOURCE_SCHEMA');
    expect(e?.message).toMatch(
      /^source market-food: cursor column `GXSJ` of stream `dbo.T_SPXK_XKZ` is `time\(7\)`, a time of day without a date: /,
    );
    expect(e?.message).not.toMatch(/e\.g\./);
  });

  it('the refusal on MySQL shows the date and time selected as one', () => {
    const e = timeOfDayCursorProblem('market-food', 'mysql', 'T_SPXK_XKZ', column('time'));
    expect(e?.message).toContain('`TIMESTAMP(rq, GXSJ) AS GXSJ`');
  });
});
