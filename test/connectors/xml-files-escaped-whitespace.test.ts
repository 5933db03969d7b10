/**
 * White space written as a character reference (`&#32;`, `&#x20;`, `&#9;`, `&#10;`) is data: an
 * export tool escapes it precisely so that no reader takes it for layout. `trim` decoded the
 * references first and then took white space off the ends, so a key ` 01` written `&#32;01` read
 * as `01`: two records told apart by it read as one key, and one of them was never delivered.
 * `trim` now takes the literal layout around a value off as written, and of what is left at its
 * ends only what it takes from a database column (trailing spaces), as in an `xml:space="preserve"`
 * scope.
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

describe('xml-files: trim and white space written as character references', () => {
  it('keeps escaped white space at the start, and escaped line breaks and tabs at the end', async () => {
    const row = await rowOf(
      '<DM>&#32;01</DM><MC>&#x20;&#x20;甲</MC><BZ>&#9;乙&#10;</BZ><DZ>\n  &#x9;丙&#xA;\n  </DZ>',
    );
    expect(row?.problems).toBeUndefined();
    expect(row?.values).toMatchObject({ DM: ' 01', MC: '  甲', BZ: '\t乙\n', DZ: '\t丙\n' });
  });

  it('takes trailing spaces off as a database source does, escaped or not', async () => {
    const row = await rowOf('<DM>01&#32;</DM><MC>甲&#x20; </MC><BZ>&#32;</BZ>');
    expect(row?.values).toMatchObject({ DM: '01', MC: '甲', BZ: null });
  });

  it('keeps escaped white space at the ends of an attribute value', async () => {
    const row = await rowOf('<MC dm="&#32;01" bz="乙&#10;">甲</MC>');
    expect(row?.values).toMatchObject({ 'MC.dm': ' 01', 'MC.bz': '乙\n' });
  });

  it('reads two keys told apart by an escaped leading space as two records', async () => {
    const dir = tempFolder();
    folders.push(dir);
    writeFileSync(
      join(dir, 'a.xml'),
      '<Root><Records>\n' +
        '  <Record><ID>&#32;01</ID><MC>甲</MC></Record>\n' +
        '  <Record><ID>01</ID><MC>乙</MC></Record>\n' +
        '</Records></Root>\n',
    );
    const rows = await rowsOfExport(openXmlFilesSource('food', xmlConfig(dir)));
    expect(rows.map((r) => [r.key, r.values.MC])).toEqual([
      [' 01', '甲'],
      ['01', '乙'],
    ]);
  });
});
