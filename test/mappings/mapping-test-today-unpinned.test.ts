/**
 * A mapping test whose mapping compares a day with `today` needs `today:` pinned in the test file:
 * without it the condition read the clock, so a case written on one day passed and failed on
 * another (a license valid to 2026-06-30 is "not expired" until that day, "expired" after), and
 * docs/lifecycle.md promises mapping tests whose outcomes do not change as time passes. Each case
 * now fails naming the condition's place and the missing `today:`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

const MAPPING = `fields:
  number: { from: XKZBH }
  surface.note:
    - { when: { any: [{ column: ZT, equals: "9" }, { not: { column: YXQZ, after: today } }] }, const: 已过有效期 }
    - { const: 有效 }
`;

const TEST = (today: string) => `${today}row: { XKZBH: A1, ZT: "1", YXQZ: "20260630" }
cases:
  - name: valid to the end of June
    expect: { fields: { surface.note: 有效 } }
`;

const run = (testText: string, mappingText = MAPPING) =>
  runMappingTests(
    parseMappingTestFile(testText, '/maps/m.test.yaml'),
    compileMappingText(mappingText, '/maps/m.yaml'),
  );

afterEach(() => {
  vi.useRealTimers();
});

describe('a mapping comparing with today, tested without today:', () => {
  it('fails every case, naming the condition and today:, whatever the clock says', () => {
    for (const clock of ['2026-03-01T04:00:00Z', '2026-09-01T04:00:00Z']) {
      vi.useFakeTimers({ now: new Date(clock), toFake: ['Date'] });
      const [result] = run(TEST(''));
      expect(result?.passed).toBe(false);
      expect(result?.messages.join('\n')).toMatch(/\/maps\/m\.yaml:4\).*`today: YYYY-MM-DD`/s);
    }
  });

  it('passes and fails by the pinned day alone when today: is given', () => {
    vi.useFakeTimers({ now: new Date('2026-09-01T04:00:00Z'), toFake: ['Date'] });
    expect(run(TEST('today: 2026-03-01\n'))[0]?.passed).toBe(true);
    expect(run(TEST('today: 2026-07-01\n'))[0]?.messages).toEqual([
      'surface.note: expected "有效", got "已过有效期"',
    ]);
  });

  it('a mapping comparing only with fixed days needs no today:', () => {
    const fixed = MAPPING.replace('after: today', 'after: "2026-05-01"');
    expect(run(TEST(''), fixed)[0]?.passed).toBe(true);
  });
});
