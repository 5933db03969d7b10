/**
 * `when: { before | after }` on a zoned column (PostgreSQL timestamptz, SQL Server
 * datetimeoffset): the connector hands over an instant, and `2024-03-01 00:00+08` is the Date
 * `2024-02-29T16:00Z`. Its day is the one in China Standard Time, as the `date` transform of the
 * same field gives it; the UTC day made a license valid to 03-01 count as past on 03-01 itself.
 */
import { describe, expect, it } from 'vitest';
import { zonedInstant } from '../../core/local-date.js';
import { compileMappingText } from '../../mappings/compile.js';
import { conditionDay } from '../../mappings/condition.js';

const note = (value: Date, today: string) => {
  const m = compileMappingText(
    [
      'fields:',
      '  surface.note:',
      '    - { when: { column: YXQZ, before: today }, const: "已过有效期" }',
      '    - { when: { column: YXQZ, after: today }, const: "有效" }',
      '    - { const: "今日到期" }',
      '',
    ].join('\n'),
    '/maps/m.yaml',
  );
  const r = m.map({ YXQZ: value }, { today });
  return r.ok ? (r.fields.surface as { note?: unknown }).note : r.reasons.map((x) => x.code);
};

describe('before/after take a zoned instant on its day in China Standard Time', () => {
  it('valid to 2024-03-01 00:00+08 is due today on 2024-03-01, not past', () => {
    const at = zonedInstant(new Date('2024-02-29T16:00:00Z'));
    expect(conditionDay(at)).toBe('2024-03-01');
    expect(note(at, '2024-03-01')).toBe('今日到期');
    expect(note(at, '2024-02-29')).toBe('有效');
  });

  it('every hour of a Beijing day is that day', () => {
    for (let h = 0; h < 24; h++) {
      const at = zonedInstant(new Date(Date.UTC(2024, 2, 1, h - 8, 30)));
      expect(conditionDay(at), `${h}:30 Beijing`).toBe('2024-03-01');
    }
  });

  it('a zone-less DATE (wall-clock fields in the UTC fields) keeps its UTC day', () => {
    expect(conditionDay(new Date(Date.UTC(2024, 2, 1, 23, 30)))).toBe('2024-03-01');
  });

  it('an invalid zoned Date is no day', () => {
    expect(conditionDay(zonedInstant(new Date(Number.NaN)))).toBeUndefined();
  });
});
