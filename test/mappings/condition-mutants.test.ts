/**
 * Condition edges the first condition tests left open: compileCondition's contract (undefined,
 * with the problem, for any part it cannot compile), `null` where a condition belongs, a date
 * argument that is not text, and driver Dates outside the four-digit years a calendar day has.
 */
import { describe, expect, it } from 'vitest';
import { type ConditionProblem, compileCondition, conditionDay } from '../../mappings/condition.js';

const compile = (raw: unknown) => {
  const problems: ConditionProblem[] = [];
  const condition = compileCondition(raw, ['when'], problems, new Set());
  return { condition, problems };
};
const A = { column: 'A', equals: '1' };
const NOT_A_CONDITION = 'expected a condition like { column: ZT, equals: "1" }';

describe('compileCondition gives undefined for a condition it cannot compile', () => {
  it('when one part of `all` or `any` is bad, not only when all are', () => {
    for (const group of ['all', 'any']) {
      const { condition, problems } = compile({ [group]: [A, 5] });
      expect(condition, group).toBeUndefined();
      expect(problems).toEqual([{ at: ['when', group, 1], message: NOT_A_CONDITION }]);
    }
  });

  it('when the condition under `not` is bad', () => {
    const { condition, problems } = compile({ not: 5 });
    expect(condition).toBeUndefined();
    expect(problems).toEqual([{ at: ['when', 'not'], message: NOT_A_CONDITION }]);
  });

  it('`null` is no condition, at the top, in a group or under `not`', () => {
    expect(compile(null)).toEqual({
      condition: undefined,
      problems: [{ at: ['when'], message: NOT_A_CONDITION }],
    });
    expect(compile({ all: [null] }).problems).toEqual([{ at: ['when', 'all', 0], message: NOT_A_CONDITION }]);
    expect(compile({ not: null }).problems).toEqual([{ at: ['when', 'not'], message: NOT_A_CONDITION }]);
  });

  it('a date to compare with must be text: a list holding one is refused', () => {
    for (const test of ['before', 'after']) {
      const { condition, problems } = compile({ column: 'D', [test]: ['2024-01-01'] });
      expect(condition).toBeUndefined();
      expect(problems).toEqual([
        { at: ['when', test], message: `expected \`${test}\` to be \`today\` or a date YYYY-MM-DD` },
      ]);
    }
    expect(compile({ column: 'D', before: 20240101 }).problems).toHaveLength(1);
  });
});

describe('driver Dates as calendar days', () => {
  it('a year past 9999 or before 0 is no day, so it is neither before nor after one', () => {
    // toISOString writes such years with a sign and six digits (`+010000-01-01T…`), which would
    // sort before every four-digit year as text.
    const far = new Date(Date.UTC(10000, 0, 1));
    const past = new Date(Date.UTC(-1, 0, 1));
    expect(far.toISOString().startsWith('+010000-01-01')).toBe(true);
    expect(conditionDay(far)).toBeUndefined();
    expect(conditionDay(past)).toBeUndefined();
    const env = { today: '2024-06-15' };
    for (const test of ['before', 'after']) {
      const check = compile({ column: 'D', [test]: 'today' }).condition;
      if (!check) throw new Error('expected a condition');
      expect(check({ D: far }, env), test).toBe(false);
      expect(check({ D: past }, env), test).toBe(false);
    }
  });

  it('a Date in range is its UTC day, whatever its time', () => {
    expect(conditionDay(new Date(Date.UTC(9999, 11, 31, 23, 59)))).toBe('9999-12-31');
    expect(conditionDay(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    const after = compile({ column: 'D', after: '2024-02-28' }).condition;
    expect(after?.({ D: new Date(Date.UTC(2024, 1, 29, 0, 30)) })).toBe(true);
  });
});
