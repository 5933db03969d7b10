/**
 * Attribute values as XML 1.0 reads them (§3.3.3): a literal line break or tab in an attribute
 * value is a space (the producer wrapped a long attribute, or wrote a tab), while a character
 * reference (`&#10;`, `&#9;`) is the character — the way a conforming writer escapes a newline in
 * an attribute. And entity references are told by XML's names, non-ASCII ones (`&名称;`) and ones
 * with `:`, `.` or `-` too: such a reference went out as its literal text in an attribute, and in
 * element text the file was refused as not well-formed.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

const PATH = ['Root', 'Records', 'Record'];

function parse(records: string, trim = true, doctype = '') {
  return parseRecords(`${doctype}<Root><Records>${records}</Records></Root>`, PATH, () => trim, {
    file: 'SPXK_1.xml',
    encoding: 'utf-8',
  });
}

function first(records: string, trim = true, doctype = '') {
  const out = parse(records, trim, doctype);
  if (!out.ok) throw new Error(out.reason);
  const record = out.file.records[0];
  return { values: record?.values, codes: record?.problems.map((p) => [p.column, p.code]) };
}

describe('xml-files: attribute values normalised as XML 1.0 §3.3.3 says', () => {
  it('reads a literal line break or tab in an attribute as a space, a character reference as the character', () => {
    expect(
      first('<Record ID="1" BZ="甲\n乙\t丙" JYXM="一&#10;二&#9;三"><MC dz="山东\r\n青岛">面馆</MC></Record>'),
    ).toEqual({
      values: { ID: '1', BZ: '甲 乙 丙', JYXM: '一\n二\t三', MC: '面馆', 'MC.dz': '山东 青岛' },
      codes: [],
    });
  });

  it('keeps &#13;&#10; as a line break, and leaves the spaces a line break made to `trim`', () => {
    expect(first('<Record ID="1" BZ="甲&#13;&#10;乙" MC="\n  面馆\t"/>', false).values).toEqual({
      ID: '1',
      BZ: '甲\r\n乙',
      MC: '   面馆 ',
    });
    expect(first('<Record ID="1" MC="\n  面馆\t"/>', true).values).toEqual({ ID: '1', MC: '面馆' });
  });

  it('leaves element text as it was: a line break there is one', () => {
    expect(first('<Record><ID>1</ID><BZ>甲\n乙\t丙</BZ></Record>').values).toEqual({
      ID: '1',
      BZ: '甲\n乙\t丙',
    });
  });
});

describe('xml-files: entity references by any XML name', () => {
  it('refuses a non-ASCII or prefixed entity in an attribute, which went out as its text', () => {
    expect(first('<Record ID="1" MC="&名称;" DZ="&é;" BZ="&lic:note;" XM="&a.b-c;"/>')).toEqual({
      values: { ID: '1', MC: null, DZ: null, BZ: null, XM: null },
      codes: [
        ['MC', 'LB_SOURCE_ENTITY'],
        ['DZ', 'LB_SOURCE_ENTITY'],
        ['BZ', 'LB_SOURCE_ENTITY'],
        ['XM', 'LB_SOURCE_ENTITY'],
      ],
    });
  });

  it('refuses one declared in the DOCTYPE too, never expanding it', () => {
    expect(first('<Record ID="1" MC="&名;"/>', true, '<!DOCTYPE Root [<!ENTITY 名 "甲">]>')).toEqual({
      values: { ID: '1', MC: null },
      codes: [['MC', 'LB_SOURCE_ENTITY']],
    });
  });

  it('reads a file with such a reference in element text, the field refused, where the whole file was', () => {
    const long = `&${'a'.repeat(24)};`;
    const out = first(
      `<Record><ID>1</ID><MC>&名称;</MC><DZ>&lic:note;</DZ><BZ>&a.b-c;</BZ><XM>${long}</XM><FR>王&amp;李</FR></Record>`,
      true,
      '<!DOCTYPE Root [<!ENTITY 名称 "甲">]>',
    );
    expect(out.values).toEqual({ ID: '1', MC: null, DZ: null, BZ: null, XM: null, FR: '王&李' });
    expect(out.codes?.map(([, code]) => code)).toEqual(Array(4).fill('LB_SOURCE_ENTITY'));
  });

  it('still refuses an ampersand that starts no reference, at its line and column', () => {
    const out = parse('<Record><ID>1</ID><MC>&名称;</MC><BZ>& 名</BZ></Record>');
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reason).toContain('line 1, column 51');
    // Where a reference by an ASCII name of the same length puts it.
    expect(out).toEqual(parse('<Record><ID>1</ID><MC>&ab;</MC><BZ>& 名</BZ></Record>'));
  });
});
