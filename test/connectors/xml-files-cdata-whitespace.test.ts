/**
 * A CDATA section is text as written, white space included: `<![CDATA[ 01]]>` is a code whose
 * leading space tells it from `01`. `trim` took the white space at its ends off as if it were
 * pretty-printing, so two keys told apart by it read as one and one record was never delivered.
 * Within a section `trim` now takes what it takes from a database column, trailing spaces, as in
 * an `xml:space="preserve"` scope; the layout around the section is still taken off.
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

describe('xml-files: trim and white space inside CDATA sections', () => {
  it('keeps leading white space and trailing line breaks and tabs inside a section', async () => {
    const row = await rowOf(
      '<DM><![CDATA[ 01]]></DM><BZ><![CDATA[\n甲\t]]></BZ><JYFW>\n  <![CDATA[  预包装食品\n]]>\n</JYFW>',
    );
    expect(row?.problems).toBeUndefined();
    expect(row?.values).toMatchObject({ DM: ' 01', BZ: '\n甲\t', JYFW: '  预包装食品\n' });
  });

  it('takes trailing spaces off, as a database source does', async () => {
    const row = await rowOf('<DM><![CDATA[01  ]]></DM><MC><![CDATA[ ]]></MC>');
    expect(row?.values).toMatchObject({ DM: '01', MC: null });
  });

  it('keeps white space inside sections of repeated elements', async () => {
    const row = await rowOf('<XM><![CDATA[ 甲]]></XM><XM><![CDATA[乙\n]]></XM>');
    expect(row?.values.XM).toBe('[" 甲","乙\\n"]');
  });

  it('reads two keys told apart by a leading space in CDATA as two records', async () => {
    const dir = tempFolder();
    folders.push(dir);
    writeFileSync(
      join(dir, 'a.xml'),
      '<Root><Records>\n' +
        '  <Record><ID><![CDATA[ 01]]></ID><MC>甲</MC></Record>\n' +
        '  <Record><ID><![CDATA[01]]></ID><MC>乙</MC></Record>\n' +
        '</Records></Root>\n',
    );
    const rows = await rowsOfExport(openXmlFilesSource('food', xmlConfig(dir)));
    expect(rows.map((r) => [r.key, r.values.MC])).toEqual([
      [' 01', '甲'],
      ['01', '乙'],
    ]);
  });
});
