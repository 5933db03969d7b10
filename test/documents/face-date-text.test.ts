// A date box of a license face prints 长期 (long-term) only for a missing `validTo`, as the
// template docs say: that is what a missing end of validity means (catalog/license.ts). Any other
// date the license lacks — an optional date of its surface — printed 长期 too, so a sealed
// license claimed a long-term date it does not have.
import { describe, expect, it } from 'vitest';
import type { FaceText } from '../../adapters/documents/face/face-template.js';
import { boxText } from '../../adapters/documents/face/layout.js';
import { foodLicense } from './fixtures.js';

const box = (field: string, prefix: string): FaceText =>
  ({ field, prefix, format: 'date', x: 0, y: 0, width: 100, size: 4.5 }) as FaceText;

describe('date boxes of a license face', () => {
  it('print an ISO date as a Chinese date', () => {
    expect(boxText(box('issueDate', '签发日期：'), foodLicense())).toBe('签发日期：2024年05月06日');
  });

  it('print 长期 for a long-term license: no validTo', () => {
    const license = { ...foodLicense(), validTo: null };
    expect(boxText(box('validTo', '有效期至：'), license)).toBe('有效期至：长期');
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['empty', ''],
  ])('leave a surface date that is %s blank, not 长期', (_, value) => {
    const license = foodLicense();
    const surface = { ...license.surface } as Record<string, unknown>;
    if (value === undefined) delete surface.inspectedOn;
    else surface.inspectedOn = value;
    expect(boxText(box('surface.inspectedOn', '检查日期：'), { ...license, surface })).toBe('检查日期：');
  });
});
