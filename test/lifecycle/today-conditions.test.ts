/**
 * Mapping conditions that compare a date with today, derived expiry in the mapper, and mapping
 * tests that pin today.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { conditionDay } from '../../mappings/condition.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

const MAPPING = `fields:
  number: { const: "JY1" }
  surface.note:
    - { when: { column: YXQZ, before: today }, const: "past" }
    - { when: { column: YXQZ, after: "2030-12-31" }, const: "far" }
    - { const: "current" }
`;

describe('date conditions against today', () => {
  const mapping = compileMappingText(MAPPING, 'm.yaml');
  const note = (value: string | Date | null, today: string) => {
    const r = mapping.map({ YXQZ: value }, { today });
    if (!r.ok) throw new Error(JSON.stringify(r.reasons));
    return (r.fields.surface as { note: string }).note;
  };

  it('compares the day of the value with the pinned today, strictly', () => {
    expect(note('20250109', '2025-01-10')).toBe('past');
    expect(note('20250110', '2025-01-10')).toBe('current');
    expect(note('2025/1/9', '2025-01-10')).toBe('past');
    expect(note('2025-01-09 23:59:59', '2025-01-10')).toBe('past');
    expect(note(new Date('2025-01-09T00:00:00Z'), '2025-01-10')).toBe('past');
    expect(note('20310101', '2025-01-10')).toBe('far');
  });

  it('never matches a value that is no day', () => {
    for (const v of ['00000000', '', null, '2025-02-30', 'soon'])
      expect(note(v, '2030-01-01')).toBe('current');
    expect(conditionDay('20250230')).toBeUndefined();
  });

  it('refuses a bound that is neither today nor a date, at compile time with the line', () => {
    const bad = 'fields:\n  number: { const: "x", when: { column: A, before: tomorrow } }\n';
    expect(() => compileMappingText(bad, 'bad.yaml')).toThrow(ConfigError);
    try {
      compileMappingText(bad, 'bad.yaml');
    } catch (e) {
      expect((e as ConfigError).problems[0]?.message).toContain('`today` or a date YYYY-MM-DD');
      expect((e as ConfigError).problems[0]?.line).toBe(2);
    }
  });
});

describe('mapping tests pin today', () => {
  it('runs the same row as on the pinned day', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-today-'));
    try {
      await writeFile(join(dir, 'm.yaml'), MAPPING);
      const test = (today: string) => `mapping: ./m.yaml
today: ${today}
cases:
  - name: expired on the pinned day
    row: { YXQZ: "20250109" }
    expect: { fields: { surface.note: past } }
`;
      const pass = parseMappingTestFile(test('2025-01-10'), join(dir, 'm.test.yaml'));
      expect(pass.today).toBe('2025-01-10');
      const mapping = compileMappingText(MAPPING, join(dir, 'm.yaml'));
      expect(runMappingTests(pass, mapping).map((c) => c.passed)).toEqual([true]);
      const fail = parseMappingTestFile(test('2025-01-09'), join(dir, 'm.test.yaml'));
      expect(runMappingTests(fail, mapping).map((c) => c.passed)).toEqual([false]);
      expect(() => parseMappingTestFile(test('someday'), join(dir, 'm.test.yaml'))).toThrow(ConfigError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('lifecycle.timeZone', () => {
  it('is checked once, naming the setting, instead of failing inside every row', async () => {
    const { lifecycleToday } = await import('../../pipelines/lifecycle/settings.js');
    const saved = process.env.LICBRIDGE_TODAY;
    delete process.env.LICBRIDGE_TODAY;
    try {
      expect(() =>
        lifecycleToday({ lifecycle: { timeZone: 'Asia/Atlantis', schedule: '5 0 * * *', pageSize: 500 } }),
      ).toThrow(/`lifecycle\.timeZone` .*got `Asia\/Atlantis`/);
      const today = lifecycleToday({
        lifecycle: { timeZone: 'Asia/Urumqi', schedule: '5 0 * * *', pageSize: 500 },
      });
      expect(today()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    } finally {
      if (saved !== undefined) process.env.LICBRIDGE_TODAY = saved;
    }
  });

  it('names the day of the zone, not of UTC', async () => {
    const { localDate } = await import('../../core/local-date.js');
    // 2026-03-01 17:30 UTC is already 2 March in Beijing, still 1 March in New York.
    const at = new Date('2026-03-01T17:30:00Z');
    expect(localDate('Asia/Shanghai', at)).toBe('2026-03-02');
    expect(localDate('America/New_York', at)).toBe('2026-03-01');
  });
});
