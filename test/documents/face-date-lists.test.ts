// A date box bound to a list of dates (inspection dates, the days a permit covers) printed the
// list as `String` makes it, `2024-01-15,2024-06-20`: the dates unformatted and joined by a comma,
// not by the box's `join`. Each date now prints as a single date does, joined as any list is.
import { describe, expect, it } from 'vitest';
import type { FaceText } from '../../adapters/documents/face/face-template.js';
import { boxText } from '../../adapters/documents/face/layout.js';
import { foodLicense } from './fixtures.js';

const box = (join?: string): FaceText =>
  ({
    field: 'surface.inspectedOn',
    prefix: '检查日期：',
    format: 'date',
    ...(join === undefined ? {} : { join }),
    x: 0,
    y: 0,
    width: 100,
    size: 4.5,
  }) as FaceText;

function withDates(dates: unknown): Parameters<typeof boxText>[1] {
  const license = foodLicense();
  return { ...license, surface: { ...license.surface, inspectedOn: dates } };
}

describe('a date box bound to a list of dates', () => {
  it('prints each date as a Chinese date, joined by the default 、', () => {
    expect(boxText(box(), withDates(['2024-01-15', '2024-06-20']))).toBe(
      '检查日期：2024年01月15日、2024年06月20日',
    );
  });

  it('joins them by `join`, leaving out empty and null items as any list does', () => {
    expect(boxText(box('；'), withDates(['2024-01-15', '', null, '2024-06-20']))).toBe(
      '检查日期：2024年01月15日；2024年06月20日',
    );
  });

  it('prints an empty list blank', () => {
    expect(boxText(box(), withDates([]))).toBe('检查日期：');
  });
});
