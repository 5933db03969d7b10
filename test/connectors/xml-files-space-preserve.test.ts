/**
 * `xml:space="preserve"` (XML 1.0 §2.10) is how an export tool says an element's white space is
 * data: a code ` 01` whose leading space tells it from `01`, a remark that ends in a line break.
 * `trim` took it off all the same, as if it were pretty-printing, so the value differed from the
 * business system's (a database source's `trim` takes trailing padding spaces only), and two keys
 * told apart by a leading space read as one: one record of the two replaced the other. Within such
 * an element `trim` now takes what it takes from a database column, trailing spaces, and nothing
 * else; `xml:space="default"` ends the scope for an element and what it holds.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openXmlFilesSource } from '../../connectors/xml-files/index.js';
import { firstRowOfRecord, rowsOfExport, tempFolder, xmlConfig } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const rowOf = (record: string) => firstRowOfRecord(`<ID>1</ID>${record}`, folders);

async function rowsOf(xml: string) {
  const dir = tempFolder();
  folders.push(dir);
  writeFileSync(join(dir, 'a.xml'), xml);
  return rowsOfExport(openXmlFilesSource('food', xmlConfig(dir)));
}

describe('xml-files: trim within xml:space="preserve"', () => {
  it('keeps a leading space and a space-led code as written, taking trailing spaces only', async () => {
    const row = await rowOf(
      '<DM xml:space="preserve"> 01</DM><MC xml:space="preserve">张三  </MC><BZ xml:space="preserve">\n甲\t</BZ>',
    );
    expect(row?.values).toMatchObject({ DM: ' 01', MC: '张三', BZ: '\n甲\t' });
    // The attribute is read as before, and nothing else appears among the fields.
    expect(Object.keys(row?.values ?? {}).sort()).toEqual([
      'BZ',
      'BZ.space',
      'DM',
      'DM.space',
      'ID',
      'MC',
      'MC.space',
    ]);
    expect(row?.values['DM.space']).toBe('preserve');
  });

  it('reads two keys told apart by a leading space as two records', async () => {
    const rows = await rowsOf(
      '<Root><Records>' +
        '<Record><ID xml:space="preserve"> 01</ID><MC>甲</MC></Record>' +
        '<Record><ID>01</ID><MC>乙</MC></Record>' +
        '</Records></Root>',
    );
    expect(rows.map((r) => [r.key, r.values.MC])).toEqual([
      [' 01', '甲'],
      ['01', '乙'],
    ]);
  });

  it('applies to what the element holds, from the root down, until xml:space="default"', async () => {
    const rows = await rowsOf(
      '<Root xml:space="preserve">\n  <Records>\n    <Record><ID>1</ID><DM> 01</DM>' +
        '<DZ><SHENG> 山东</SHENG></DZ><XM> 甲</XM><XM>乙</XM>' +
        '<BZ xml:space="default"> 注 </BZ><HZ xml:space="default"><Q> 乙</Q></HZ></Record>\n  </Records>\n</Root>',
    );
    expect(rows[0]?.values).toMatchObject({
      ID: '1',
      DM: ' 01',
      'DZ.SHENG': ' 山东',
      XM: '[" 甲","乙"]',
      BZ: '注',
      'HZ.Q': '乙',
    });
    expect(Object.keys(rows[0]?.values ?? {}).some((f) => f.includes('lb'))).toBe(false);
  });

  it('leaves values outside the scope trimmed, whatever comments or text say', async () => {
    const row = await rowOf(
      '<!-- <DM xml:space="preserve"> --><DM> 01 </DM><BZ> xml:space="preserve" </BZ><Q><![CDATA[<X xml:space="preserve">]]> </Q>' +
        `<HZ note="a xml:space='preserve'"> 乙 </HZ>`,
    );
    expect(row?.values).toMatchObject({
      DM: '01',
      BZ: 'xml:space="preserve"',
      Q: '<X xml:space="preserve">',
      HZ: '乙',
    });
  });

  it('still reads a value of spaces only as null, as trailing padding', async () => {
    const row = await rowOf('<DM xml:space="preserve">   </DM>');
    expect(row?.values.DM).toBeNull();
  });
});
