/**
 * JAXB writes a null as `<BZ xsi:nil="true"/>`, an empty element with attributes only, which is
 * read as the empty element `<BZ/>` is (docs/xml-exports.md): null as a field of its own, `""` as
 * an item of a list (`<XM xsi:nil="true"/>` twice gives `["",""]`). Inside the occurrences of a
 * repeated container it read null where `<BZ/>` read `""`, and where it was held twice `""`: one
 * export's `JYXM.BZ` read `[null,"注"]`, the same data with the remark held twice `[["",""],"注"]`,
 * and an element inside a preserving scope null where outside it `""`.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

const PATH = ['Root', 'Records', 'Record'];

function values(record: string, lists: string[] = []) {
  const text = `<Root xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Records><Record><ID>1</ID>${record}</Record></Records></Root>`;
  const out = parseRecords(text, PATH, () => true, { file: 'SPXK_1.xml', encoding: 'utf-8' }, lists);
  if (!out.ok) throw new Error(out.reason);
  expect(out.file.records[0]?.problems).toEqual([]);
  return out.file.records[0]?.values;
}

const second = '<JYXM><XMMC>乙</XMMC><BZ>注</BZ></JYXM>';

describe('xml-files: an empty element with attributes only inside a repeated container', () => {
  it('reads as the empty element does, `""` in the list, nil or not', () => {
    const empty = values(`<JYXM><XMMC>甲</XMMC><BZ/></JYXM>${second}`);
    expect(empty?.['JYXM.BZ']).toBe('["","注"]');
    expect(values(`<JYXM><XMMC>甲</XMMC><BZ xsi:nil="true"/></JYXM>${second}`)?.['JYXM.BZ']).toBe(
      '["","注"]',
    );
    expect(values(`<JYXM><XMMC>甲</XMMC><BZ lang="zh"/></JYXM>${second}`)?.['JYXM.BZ']).toBe('["","注"]');
  });

  it('reads as it does held twice in the occurrence, and as a repeated element does', () => {
    const twice = values(`<JYXM><XMMC>甲</XMMC><BZ xsi:nil="true"/><BZ xsi:nil="true"/></JYXM>${second}`);
    expect(twice?.['JYXM.BZ']).toBe('[["",""],"注"]');
    expect(values('<BZ xsi:nil="true"/><BZ xsi:nil="true"/>')?.BZ).toBe('["",""]');
    const listed = values(`<JYXM><XMMC>甲</XMMC><BZ xsi:nil="true"/></JYXM>${second}`, ['JYXM.BZ']);
    expect(listed?.['JYXM.BZ']).toBe('[[""],["注"]]');
  });

  it('reads inside an xml:space="preserve" scope as outside it', () => {
    const scoped = values(`<JYXM xml:space="preserve"><XMMC>甲</XMMC><BZ/></JYXM>${second}`);
    expect(scoped?.['JYXM.BZ']).toBe('["","注"]');
  });

  it('is still null as a field of its own, as `<BZ/>` is, and an absent one null in the list', () => {
    expect(values('<BZ xsi:nil="true"/>')).toMatchObject({ BZ: null, 'BZ.nil': 'true' });
    expect(values('<DZ><S xsi:nil="true"/></DZ>')?.['DZ.S']).toBeNull();
    expect(values(`<JYXM><XMMC>甲</XMMC></JYXM>${second}`)?.['JYXM.BZ']).toBe('[null,"注"]');
  });
});
