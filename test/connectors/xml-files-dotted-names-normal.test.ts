/**
 * The field-clash check (LB_SOURCE_FIELD_CLASH) refuses a field only where two different elements
 * or attributes of one record read as it: the shapes ordinary exports have — repeated elements,
 * attributes and children of one name under different parents, namespace prefixes, mixed
 * content, empty and nil elements, an attribute and a child element of one name — read without
 * a problem, with the values they had before the check.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

function only(record: string, root = '<Root><Records>', end = '</Records></Root>') {
  const out = parseRecords(`${root}${record}${end}`, ['Root', 'Records', 'Record'], () => true, {
    file: 'SPXK_1.xml',
    encoding: 'utf-8',
  });
  if (!out.ok) throw new Error(out.reason);
  const [r] = out.file.records;
  return { values: r?.values, problems: r?.problems.map((p) => p.code) };
}

describe('xml-files: ordinary exports raise no field clash', () => {
  it('a repeated element, with attributes on some occurrences, and lists inside lists', () => {
    expect(
      only(
        '<Record><ID>1</ID><XM dm="1">甲</XM><XM>乙</XM>' +
          '<JYXM><X><MC>a</MC></X><X><MC>b</MC></X></JYXM><JYXM><X><MC>c</MC></X></JYXM></Record>',
      ),
    ).toEqual({
      values: { ID: '1', XM: '["甲","乙"]', 'XM.dm': '["1",null]', 'JYXM.X.MC': '[["a","b"],"c"]' },
      problems: [],
    });
  });

  it('an attribute and a child element of one name under different parents', () => {
    expect(
      only('<Record ID="1"><DZ SHENG="鲁"/><FR><SHENG>山东</SHENG></FR><SHENG>河北</SHENG></Record>'),
    ).toEqual({
      values: { ID: '1', DZ: null, 'DZ.SHENG': '鲁', 'FR.SHENG': '山东', SHENG: '河北' },
      problems: [],
    });
  });

  it('an attribute and a child element of one name in one element: the element as name.#text', () => {
    expect(only('<Record ID="7"><ID>JY1</ID><DZ dm="1"><dm>黄岛</dm></DZ></Record>')).toEqual({
      values: { ID: '7', 'ID.#text': 'JY1', 'DZ.dm': '1', 'DZ.dm.#text': '黄岛' },
      problems: [],
    });
  });

  it('namespace prefixes, on elements and on attributes (xsi:nil)', () => {
    expect(
      only(
        '<Record xmlns:a="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><ID>1</ID>' +
          '<a:MC>甲</a:MC><GXSJ xsi:nil="true"/><DZ a:dm="1"/></Record>',
      ),
    ).toEqual({
      values: { ID: '1', MC: '甲', GXSJ: null, 'GXSJ.nil': 'true', DZ: null, 'DZ.dm': '1' },
      problems: [],
    });
  });

  it('mixed content, empty elements and a dotted name alone', () => {
    expect(
      only('<Record><ID>1</ID><BZ>甲<br/></BZ><DZ/><MC></MC><XK.BH>A1</XK.BH><XK><YXQ/></XK></Record>'),
    ).toEqual({
      values: { ID: '1', BZ: '甲', 'BZ.br': null, DZ: null, MC: null, 'XK.BH': 'A1', 'XK.YXQ': null },
      problems: [],
    });
  });
});
