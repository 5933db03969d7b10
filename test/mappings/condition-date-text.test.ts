/**
 * What docs/mapping-language.md says of a driver's date in `equals`, `in` and `matches`: it
 * compares as its ISO text in UTC, so a day written `2024-03-01` never equals a DATE column's
 * value; `before`/`after` compare days.
 */
import { describe, expect, it } from 'vitest';
import { zonedInstant } from '../../core/local-date.js';
import { compileMappingText } from '../../mappings/compile.js';

const MAPPING = `fields:
  surface.a:
    - { when: { column: D, equals: "2024-03-01" }, const: day }
    - { when: { column: D, in: ["2024-03-01T00:00:00.000Z"] }, const: iso }
    - { when: { column: D, matches: "^2024-02-29T23:00" }, const: utc }
    - { when: { all: [{ column: D, after: "2024-02-29" }, { column: D, before: "2024-03-02" }] }, const: after }
`;

const a = (d: Date) => {
  const r = compileMappingText(MAPPING, 'm.yaml').map({ D: d });
  return r.ok ? (r.fields.surface as { a?: unknown }).a : r.reasons;
};

describe('a date in equals, in and matches', () => {
  it('a DATE column is its ISO text at midnight UTC, not its day', () => {
    expect(a(new Date(Date.UTC(2024, 2, 1)))).toBe('iso');
  });
  it('a zoned instant is its UTC time; before/after take its day in China', () => {
    expect(a(zonedInstant(new Date('2024-03-01T07:00:00+08:00')))).toBe('utc');
    const later = zonedInstant(new Date('2024-03-01T09:00:00+08:00'));
    expect(a(later)).toBe('after');
  });
});
