/**
 * A face field naming a passport or travel permit (`surface.passportNumber`, `surface.护照号码`,
 * `surface.港澳通行证号`) holds a person's document number, as `surface.idNumber` does, but no name
 * part marked it personal: a reason about it showed the number whole, and a foreign passport's has
 * no shape to be masked by. Such a field is now personal, its value masked in every reason.
 */
import { describe, expect, it } from 'vitest';
import { isPersonalPath } from '../../catalog/personal.js';
import { compileMappingText } from '../../mappings/compile.js';

// A foreign passport's number: nine digits, no PRC shape.
const NUMBER = Array.from({ length: 9 }, (_, i) => String(i === 0 ? 5 : Math.floor(Math.random() * 10))).join(
  '',
);

const FIELDS = [
  'passport',
  'passportNo',
  'passportNumber',
  'ownerPassport',
  'holder_passport_no',
  '护照号码',
  '负责人护照',
  '港澳通行证号',
  '台湾居民来往大陆通行证号码',
];

describe('a face field naming a passport or travel permit', () => {
  it('is personal', () => {
    for (const f of FIELDS) expect(isPersonalPath(`surface.${f}`), f).toBe(true);
    for (const f of ['businessItems', 'premises', '经营项目', '经营场所', 'passage'])
      expect(isPersonalPath(`surface.${f}`), f).toBe(false);
  });

  it('has its value masked in a mapping reason', () => {
    for (const f of FIELDS) {
      const mapping = `fields:\n  surface.${f}: { from: HZ }\n`;
      const r = compileMappingText(mapping, '/maps/m.yaml').map({ HZ: `${NUMBER}\u0007` });
      if (r.ok) throw new Error('expected the row to be quarantined');
      expect(r.reasons[0]?.code, f).toBe('LB_MAP_CONTROL_CHAR');
      expect(JSON.stringify(r.reasons), f).not.toContain(NUMBER.slice(2, 7));
    }
  });
});
