/**
 * Dates and numbers typed in Chinese input mode come in full-width digits (`２０２１０３１５`,
 * `１２`). `date` and `number` read half-width digits only, and the reason said the text matches
 * no format, or is no decimal, which it looks like on a screen. It now names the step to add.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const m = compileMappingText(
  [
    'fields:',
    '  issueDate: { from: D, transform: [trim, { date: [yyyyMMdd, yyyy年M月d日] }] }',
    '  surface.n: { from: N, transform: [number] }',
  ].join('\n'),
  '/maps/m.yaml',
);
const messages = (row: Record<string, string>): string[] => {
  const r = m.map({ D: '20210315', N: '1', ...row });
  return r.ok ? [] : r.reasons.map((x) => x.message);
};
const HINT = '; it holds full-width characters: add halfWidth before this step';

describe('full-width digits where date and number read half-width ones', () => {
  it('a date names halfWidth', () => {
    expect(messages({ D: '２０２１０３１５' })).toEqual([
      `mapping: issueDate: date text matches none of yyyyMMdd, yyyy年M月d日${HINT}`,
    ]);
    expect(messages({ D: '２０２１年３月１５日' })[0]).toContain(HINT);
  });

  it('a number names halfWidth', () => {
    expect(messages({ N: '１２' })).toEqual([`mapping: surface.n: text is not a decimal number${HINT}`]);
  });

  it('half-width text that fails gets no such hint', () => {
    expect(messages({ D: '2021.03.15', N: '1,234' })).toEqual([
      'mapping: issueDate: date text matches none of yyyyMMdd, yyyy年M月d日',
      'mapping: surface.n: text is not a decimal number',
    ]);
  });

  it('with halfWidth first, both map', () => {
    const fixed = compileMappingText(
      'fields:\n  issueDate: { from: D, transform: [halfWidth, trim, { date: [yyyyMMdd] }] }\n',
      '/maps/f.yaml',
    ).map({ D: '２０２１０３１５\u3000' });
    expect(fixed.ok && fixed.fields.issueDate).toBe('2021-03-15');
  });
});
