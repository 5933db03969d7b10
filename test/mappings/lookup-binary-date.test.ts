/**
 * A date or binary value reaching a lookup unchanged (no `date` or `repairCharset` among the
 * transforms) is looked up by its JavaScript text: bytes as their decimal values joined by commas
 * (`48,49` for the bytes of `01`), a date as the host zone's long text. Such a code is never in the
 * table, and with a `fallback` every row was published with the fallback value instead of being
 * quarantined as a date or binary value reaching a field without a transform is.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import type { InputValue } from '../../mappings/types.js';

const MAPPING = '/maps/food.yaml';
const mapped = (rule: string, ZTYT: InputValue) => {
  const m = compileMappingText(`fields:\n  surface.businessForm: ${rule}\n`, MAPPING);
  const r = m.map({ ZTYT });
  return r.ok
    ? { value: (r.fields as unknown as { surface: { businessForm: unknown } }).surface.businessForm }
    : { codes: r.reasons.map((x) => x.code), messages: r.reasons.map((x) => x.message) };
};
const WITH_FALLBACK = '{ from: ZTYT, lookup: { "01": 食品销售, "02": 餐饮服务 }, fallback: 其他 }';
const WITHOUT = '{ from: ZTYT, lookup: { "01": 食品销售, "02": 餐饮服务 } }';

describe('a date or binary value is no code a fallback stands in for', () => {
  it('bytes are refused as LB_MAP_TYPE, not published as the fallback', () => {
    const bytes = new Uint8Array([0x30, 0x31]);
    expect(mapped(WITH_FALLBACK, bytes)).toEqual({
      codes: ['LB_MAP_TYPE'],
      messages: [
        'mapping: surface.businessForm: a date or binary value needs a transform (e.g. { date: [...] })',
      ],
    });
    expect(mapped(WITHOUT, bytes)).toMatchObject({ codes: ['LB_MAP_TYPE'] });
  });

  it('a driver date is refused as LB_MAP_TYPE, not published as the fallback', () => {
    const date = new Date(Date.UTC(2024, 2, 1));
    expect(mapped(WITH_FALLBACK, date)).toMatchObject({ codes: ['LB_MAP_TYPE'] });
    expect(mapped(WITHOUT, date)).toMatchObject({ codes: ['LB_MAP_TYPE'] });
  });

  it('text codes still take the table and the fallback as before', () => {
    expect(mapped(WITH_FALLBACK, '02')).toEqual({ value: '餐饮服务' });
    expect(mapped(WITH_FALLBACK, '09')).toEqual({ value: '其他' });
    expect(
      mapped(
        '{ from: ZTYT, transform: [{ repairCharset: gb18030 }], lookup: { "01": a }, fallback: b }',
        new Uint8Array([0x30, 0x31]),
      ),
    ).toEqual({ value: 'a' });
  });
});
