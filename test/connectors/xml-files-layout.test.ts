/**
 * The indentation around child elements is layout, not text: a pretty-printed export and a
 * compact one of the same data read as the same fields and values, trimmed or not.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

const PATH = ['Root', 'Records', 'Record'];

const compact =
  '<Root><Records><Record><ID>1</ID><JYXM><XMMC>甲</XMMC></JYXM><JYXM><XMMC>乙</XMMC></JYXM><DZ><S>山东</S></DZ></Record></Records></Root>';
const pretty = `<Root>
  <Records>
    <Record>
      <ID>1</ID>
      <JYXM>
        <XMMC>甲</XMMC>
      </JYXM>
      <JYXM>
        <XMMC>乙</XMMC>
      </JYXM>
      <DZ>
        <S>山东</S>
      </DZ>
    </Record>
  </Records>
</Root>
`;

function read(text: string, trim: boolean) {
  const outcome = parseRecords(text, PATH, () => trim);
  if (!outcome.ok) throw new Error(outcome.reason);
  return { fields: [...outcome.file.fields].sort(), values: outcome.file.records.map((r) => r.values) };
}

describe('xml-files: pretty-printed exports', () => {
  it('read as the compact export of the same data, trimmed or not', () => {
    const expected = {
      fields: ['DZ.S', 'ID', 'JYXM.XMMC'],
      values: [{ ID: '1', 'JYXM.XMMC': '["甲","乙"]', 'DZ.S': '山东' }],
    };
    expect(read(compact, true)).toEqual(expected);
    expect(read(pretty, true)).toEqual(expected);
    expect(read(pretty, false)).toEqual(expected);
  });

  it('keeps text beside child elements when it is more than layout', () => {
    const mixed = '<Root><Records><Record><ID>1</ID><MC>甲 <B>乙</B></MC></Record></Records></Root>';
    expect(read(mixed, true).values).toEqual([{ ID: '1', MC: '甲', 'MC.B': '乙' }]);
  });

  it('reads a repeated element, one occurrence a container and one empty, the same pretty-printed', () => {
    const one = (layout: string) =>
      `<Root><Records><Record><ID>1</ID><JYXM>${layout}<XMMC>甲</XMMC>${layout}</JYXM><JYXM/></Record></Records></Root>`;
    const expected = [{ ID: '1', JYXM: '["",""]', 'JYXM.XMMC': '["甲",null]' }];
    expect(read(one(''), false).values).toEqual(expected);
    expect(read(one('\n      '), false).values).toEqual(expected);
  });
});

describe('xml-files: a repeated empty element with attributes only', () => {
  it('is the element, empty, as `<XM/>` twice is: a field a `fields` entry finds', () => {
    const nil =
      '<Root><Records><Record><ID>1</ID><XM xsi:nil="true"/><XM xsi:nil="true"/></Record></Records></Root>';
    const empty = '<Root><Records><Record><ID>1</ID><XM/><XM/></Record></Records></Root>';
    expect(read(empty, true).values).toEqual([{ ID: '1', XM: '["",""]' }]);
    expect(read(nil, true)).toEqual({
      fields: ['ID', 'XM', 'XM.nil'],
      values: [{ ID: '1', XM: '["",""]', 'XM.nil': '["true","true"]' }],
    });
  });
});
