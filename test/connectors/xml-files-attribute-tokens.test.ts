/**
 * XML 1.0 §3.3.3: an attribute the DOCTYPE declares of a type other than CDATA (`NMTOKEN`,
 * `NMTOKENS`, `ID`, `IDREF(S)`, `ENTITY`/`ENTITIES`, an enumeration, `NOTATION`) is further
 * normalised by every XML processor: spaces at its ends are discarded and each run of spaces inside
 * is one, also spaces written as references (`&#32;`). licbridge read such an attribute as CDATA:
 * `XMDM="01  02"` declared NMTOKENS gave `01  02`, where the export tool's own XML library and any
 * other reader give `01 02`, and with `trim: none` a code `DM=" A1"` declared ID kept its space.
 * Undeclared attributes and CDATA ones read as before; a line break written as a reference
 * (`&#10;`) is no space and stays.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

function values(doctype: string, body: string, trim = true) {
  const out = parseRecords(
    `<!DOCTYPE Root [${doctype}]>\n<Root><Records>${body}</Records></Root>`,
    ['Root', 'Records', 'Record'],
    () => trim,
    { file: 'SPXK_1.xml', encoding: 'utf-8' },
  );
  if (!out.ok) throw new Error(out.reason);
  return out.file.records.map((r) => r.values);
}

describe('xml-files: attributes declared of a tokenized or enumerated type', () => {
  it('reads runs of spaces inside as one, whatever `trim` says', () => {
    for (const trim of [true, false]) {
      const [row] = values(
        '<!ATTLIST Record XMDM NMTOKENS #IMPLIED DM ID #IMPLIED BZ CDATA #IMPLIED>',
        '<Record XMDM=" 01  02\t03 " DM="&#32;A1&#x20;" BZ=" 甲  乙 "><ID>1</ID></Record>',
        trim,
      );
      expect(row).toMatchObject({ XMDM: '01 02 03', DM: 'A1', BZ: trim ? '甲  乙' : ' 甲  乙 ' });
    }
  });

  it('normalises an enumeration, a declared default and attributes of nested and repeated elements', () => {
    const [row] = values(
      "<!ATTLIST Record LX (A|B) 'A'>\n<!ATTLIST XM dm NMTOKENS '  x   y '>",
      '<Record LX="  B "><ID>1</ID><XM>甲</XM><XM dm="1  2">乙</XM></Record>',
      false,
    );
    expect(row).toMatchObject({ LX: 'B', 'XM.dm': '["x y","1 2"]' });
  });

  it('keeps a line break written as a reference, and reads undeclared attributes as CDATA', () => {
    const [row] = values(
      '<!ATTLIST Record XMDM NMTOKENS #IMPLIED>',
      '<Record XMDM="01&#10;02" QT="a  b"><ID>1</ID></Record>',
    );
    expect(row).toMatchObject({ XMDM: '01\n02', QT: 'a  b' });
  });
});
