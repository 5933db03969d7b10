/**
 * GBK text read as latin1 whose characters lie in GBK's extension rows (lead byte 81–A0, or trail
 * byte 80–A0): names such as 张喆, 王堃, 陈昇, 赵燊, 周翀. One of their bytes reads as a C1 control,
 * and the row was quarantined LB_MAP_CONTROL_CHAR, "text holds a control character", sending the
 * department to look for control characters instead of at the column's charset.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { checkInput } from '../../mappings/input-guard.js';

const asLatin1 = (text: string): string => iconv.encode(text, 'gbk').toString('latin1');
const NAMES = ['张喆', '王堃', '陈昇', '赵燊', '周翀', '喆', '堃'];

describe('GBK extension characters read as latin1', () => {
  it('are mojibake, LB_MAP_ENCODING with the repair named, alone and inside other text', () => {
    for (const name of NAMES) {
      const text = asLatin1(name);
      expect(/[\u0080-\u009f]/.test(text), name).toBe(true);
      for (const value of [text, `经营者 ${text} A`]) {
        expect(checkInput(value), name).toEqual({
          code: 'LB_MAP_ENCODING',
          message: expect.stringContaining('repairCharset'),
        });
      }
    }
  });

  it('map once the rule repairs them', () => {
    const m = compileMappingText(
      'fields:\n  holder.name: { from: XM, transform: [{ repairCharset: gb18030 }] }\n',
      'm.yaml',
    );
    for (const name of NAMES) {
      const r = m.map({ XM: asLatin1(name) });
      expect(r.ok && r.fields.holder.name).toBe(name);
    }
  });

  it('a C1 control beside no Latin-1 text, or with a C0 control, is still a control character', () => {
    for (const value of ['a\u0085b', '\u0086', '张三\u0090丰', '\u0080Ã', 'ÕÅ\u0001', '\u0086´\u007f'])
      expect(checkInput(value)?.code, JSON.stringify(value)).toBe('LB_MAP_CONTROL_CHAR');
  });
});
