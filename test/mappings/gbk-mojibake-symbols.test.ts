/**
 * GBK text read as latin1 is caught whatever its bytes: every GB2312 character is two bytes from
 * A1 to FE, but the check only looked for a Latin-1 LETTER (C0–FF) followed by another Latin-1
 * char, so 北京 (`±±¾©`), 陈 (`³Â`), 高 (`¸ß`), 国 (`¹ú`) passed and were published as mojibake.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { checkInput } from '../../mappings/input-guard.js';

const asLatin1 = (text: string): string => iconv.encode(text, 'gbk').toString('latin1');

describe('GBK mojibake whose first byte is below C0', () => {
  it('is refused as LB_MAP_ENCODING', () => {
    for (const text of ['北京', '陈', '高', '国', '啊', '经']) {
      expect(checkInput(asLatin1(text))?.code, text).toBe('LB_MAP_ENCODING');
    }
  });

  it('is refused inside other text once it spans two Chinese characters', () => {
    for (const text of ['陈明', '北京市', '高新区', '经营']) {
      expect(checkInput(`No.7 ${asLatin1(text)} A`)?.code, text).toBe('LB_MAP_ENCODING');
    }
  });

  it('one Chinese character inside other text is refused unless both its bytes read as symbols', () => {
    // 号 BA C5 reads `ºÅ`, 陈 B3 C2 reads `³Â`: a symbol then a letter, never a Latin-1 letter first.
    for (const text of ['号', '陈', '城', '编']) {
      expect(checkInput(`3${asLatin1(text)}A`)?.code, text).toBe('LB_MAP_ENCODING');
    }
    for (let lead = 0xa1; lead <= 0xf7; lead++) {
      if (lead >= 0xaa && lead <= 0xaf) continue; // no GB2312 row
      for (let trail = 0xa1; trail <= 0xfe; trail++) {
        // Both bytes A1–BF read as two symbols, as `°±` in 25°±2℃: text, by the rule above.
        if (lead < 0xc0 && trail < 0xc0) continue;
        const text = `No.3 ${Buffer.from([lead, trail]).toString('latin1')} A`;
        expect(checkInput(text)?.code, `${lead.toString(16)}${trail.toString(16)}`).toBe('LB_MAP_ENCODING');
      }
    }
  });

  it('quarantines the row instead of publishing `±±¾©` as the area name', () => {
    const m = compileMappingText(
      'fields:\n  surface.area: { from: DQ, transform: [trim] }\n',
      '/maps/m.yaml',
    );
    const r = m.map({ DQ: asLatin1('北京') });
    expect(r.ok ? r.fields : r.reasons.map((x) => x.code)).toEqual(['LB_MAP_ENCODING']);
  });

  it('every GB2312 character read as latin1 is caught', () => {
    for (let lead = 0xb0; lead <= 0xf7; lead++) {
      for (let trail = 0xa1; trail <= 0xfe; trail++) {
        const text = Buffer.from([lead, trail]).toString('latin1');
        expect(checkInput(text)?.code, `${lead.toString(16)}${trail.toString(16)}`).toBe('LB_MAP_ENCODING');
      }
    }
  });

  it('single Latin-1 symbols in real text still pass', () => {
    for (const text of ['±0.5mm', '25°C', '10×20', '阿依古丽·买买提', 'café', '¥100', '面积m²']) {
      expect(checkInput(text), text).toBeNull();
    }
  });

  it('two Latin-1 symbols inside real text still pass: units, tolerances, quotes', () => {
    for (const text of ['W/(m²·K)', 'kg/m³·h', '25°±2℃', '«Élan»', 'µ·s', '¼·½ 英寸']) {
      expect(checkInput(text), text).toBeNull();
    }
  });
});
