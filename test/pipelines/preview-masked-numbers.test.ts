/**
 * preview masks a personal value that the mapping gives as a number — a mobile or ID number a
 * surface schema types as an integer — as it masks the same value as text. It was shown whole.
 */
import { describe, expect, it } from 'vitest';
import { masked } from '../../pipelines/preview.js';

const PERSON = { idType: '111', id: '110105194912310021' };

describe('preview masking of numbers', () => {
  it('masks a number from a personal column, alone or in a list', () => {
    const shown = masked('surface.contactPhone', 13812345678, false, PERSON, true);
    expect(typeof shown).toBe('string');
    expect(String(shown)).not.toContain('13812345678');
    expect(String(shown)).toContain('*');
    const list = masked('surface.deputies', [13812345678, '13912345678'], false, PERSON, true) as unknown[];
    expect(list.join(' ')).not.toMatch(/138123|139123/);
  });

  it('masks a number on a personal path for a natural person', () => {
    const shown = masked('holder.id', 110105194912310021n, false, PERSON, false);
    expect(String(shown)).not.toContain('110105194912310021');
  });

  it('leaves numbers that are not personal, and every value with --show-personal', () => {
    expect(masked('surface.area', 120, false, PERSON, false)).toBe(120);
    expect(masked('surface.contactPhone', 13812345678, true, PERSON, true)).toBe(13812345678);
  });
});

describe('preview masking of lists on a personal path', () => {
  it('masks each value of a list whose path is personal, from a column not listed as personal', () => {
    const phones = masked(
      'surface.contactPhone',
      ['13812345678', 13912345678],
      false,
      PERSON,
      false,
    ) as unknown[];
    expect(phones).toHaveLength(2);
    expect(phones.join(' ')).not.toMatch(/138123|139123/);
    const people = masked(
      'surface.legalRepresentative',
      ['张三丰', '李四'],
      false,
      PERSON,
      false,
    ) as unknown[];
    expect(people.join(' ')).not.toMatch(/三丰|四/);
  });

  it('leaves a list on a path that is not personal', () => {
    expect(masked('surface.businessItems', ['预包装食品销售'], false, PERSON, false)).toEqual([
      '预包装食品销售',
    ]);
  });
});
