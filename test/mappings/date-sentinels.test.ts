/**
 * `sentinels` on the date transform: days a source writes for "no date" read as empty. SQL
 * Server `datetime` stores 1900-01-01 for an empty insert (its minimum is 1753-01-01). Opt-in:
 * without the option such days stay dates, as licenses already published carry them.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createTransformRegistry } from '../../mappings/transforms.js';
import type { InputValue, MapValue, TransformStep } from '../../mappings/types.js';

const date = createTransformRegistry().get('date');
const step = (arg: unknown): TransformStep => {
  const s = date?.compile(arg);
  if (typeof s !== 'function') throw new Error(String(s));
  return s;
};
const run = (arg: unknown, value: MapValue) => {
  const r = step(arg)(value);
  return r.ok ? r.value : r.code;
};
const SENTINELS = { formats: ['yyyyMMdd', 'yyyy-MM-dd'], sentinels: ['1900-01-01', '1753-01-01'] };

function compileError(text: string): ConfigError {
  try {
    compileMappingText(text, '/maps/food.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('date sentinels', () => {
  it('without sentinels, 1900-01-01 and 1753-01-01 stay dates (the default is unchanged)', () => {
    expect(run(['yyyyMMdd'], '19000101')).toBe('1900-01-01');
    expect(run({ formats: ['yyyy-MM-dd'] }, '1753-01-01')).toBe('1753-01-01');
    expect(run(['yyyyMMdd'], new Date(Date.UTC(1900, 0, 1)))).toBe('1900-01-01');
  });

  it('reads a listed day as empty, whatever form it comes in', () => {
    expect(run(SENTINELS, '19000101')).toBeNull();
    expect(run(SENTINELS, ' 1900-01-01 ')).toBeNull();
    expect(run(SENTINELS, '17530101')).toBeNull();
    // SQL Server datetime as a driver gives it: wall-clock fields, midnight.
    expect(run(SENTINELS, new Date(Date.UTC(1900, 0, 1)))).toBeNull();
    expect(run(SENTINELS, new Date(Date.UTC(1900, 0, 1, 13, 45)))).toBeNull(); // the day decides
    expect(run({ ...SENTINELS, excel: true }, 1)).toBeNull(); // Excel serial 1 is 1900-01-01
  });

  it('keeps every other day, zero dates and failures as before', () => {
    expect(run(SENTINELS, '19000102')).toBe('1900-01-02');
    expect(run(SENTINELS, '2024-03-01')).toBe('2024-03-01');
    expect(run(SENTINELS, '99991231')).toBe('9999-12-31');
    expect(run(SENTINELS, '00000000')).toBeNull();
    expect(run(SENTINELS, '19000230')).toBe('LB_MAP_DATE');
    expect(run(SENTINELS, null)).toBeNull();
  });

  it('9999-12-31 reads as empty only when listed', () => {
    expect(run({ formats: ['yyyyMMdd'], sentinels: ['9999-12-31'] }, '99991231')).toBeNull();
  });

  it('a required issue date holding a sentinel quarantines the row; validFrom falls back to default', () => {
    const m = compileMappingText(
      [
        'fields:',
        '  issueDate: { from: FZRQ, transform: [{ date: { formats: [yyyyMMdd], sentinels: [1900-01-01] } }], required: true }',
        '  validFrom: { from: YXQQ, transform: [{ date: { formats: [yyyyMMdd], sentinels: [1900-01-01] } }, { default: "2024-01-01" }] }',
        '',
      ].join('\n'),
      '/maps/food.yaml',
    );
    const map = (row: Record<string, InputValue>) => {
      const r = m.map(row);
      return r.ok ? [r.fields.issueDate, r.fields.validFrom] : r.reasons.map((x) => [x.code, x.path]);
    };
    expect(map({ FZRQ: '19000101', YXQQ: '20240301' })).toEqual([['LB_MAP_REQUIRED', 'issueDate']]);
    expect(map({ FZRQ: '20240301', YXQQ: '19000101' })).toEqual(['2024-03-01', '2024-01-01']);
  });

  it('refuses a sentinel that is not a calendar day YYYY-MM-DD, at its file and line', () => {
    const bad: [string, string][] = [
      ['sentinels: 1900-01-01', 'expected `sentinels` to be a list'],
      ['sentinels: [19000101]', 'got a number'],
      ['sentinels: ["1900-1-1"]', 'got `1900-1-1`'],
      ['sentinels: [1900-02-30]', 'got `1900-02-30`'],
      ['sentinels: [[1900-01-01]]', 'got a list'],
    ];
    for (const [option, expected] of bad) {
      const text = `fields:\n  issueDate: { from: FZRQ }\n  validFrom: { from: YXQQ, transform: [{ date: { formats: [yyyyMMdd], ${option} } }] }\n`;
      const error = compileError(text);
      expect(error.problems, option).toHaveLength(1);
      expect(error.problems[0], option).toMatchObject({ file: '/maps/food.yaml', line: 3 });
      expect(error.problems[0]?.message, option).toContain(expected);
      expect(error.problems[0]?.message, option).toContain('date: expected `sentinels`');
    }
  });

  it('points at the line of the wrong sentinel in a list written one item a line', () => {
    const text = [
      'fields:',
      '  validFrom:',
      '    from: YXQQ',
      '    transform:',
      '      - date:',
      '          formats: [yyyyMMdd]',
      '          sentinels:',
      '            - 1900-01-01',
      '            - 1900-02-30',
      '',
    ].join('\n');
    const error = compileError(text);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: '/maps/food.yaml', line: 9, column: 15 });
    expect(error.message).toContain('/maps/food.yaml:9:15');
    expect(error.problems[0]?.message).toContain('got `1900-02-30`');
  });

  it('names sentinels among the options an unknown key is checked against', () => {
    expect(date?.compile({ formats: ['yyyyMMdd'], sentinel: ['1900-01-01'] })).toBe(
      'unknown key `sentinel`; expected formats, pivot, excel, zone, sentinels',
    );
  });
});
