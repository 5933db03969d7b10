/**
 * A record path written without prefixes reads attributes by their local names too (`lic:dm` as
 * `dm`), so two attributes of one element with one local name (`a:DM` and `b:DM`, `xml:lang` and
 * `lang`, `xsi:nil` and `nil`) read as one field: one value replaced the other without a word. The
 * field now reads as null with a row problem naming both attributes, the field, record and file,
 * as a field read from two elements does; an attribute alone is read by its local name as before.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

const NS = 'xmlns:a="urn:a" xmlns:b="urn:b" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function firstRecord(record: string, path = ['Root', 'Records', 'Record']) {
  const out = parseRecords(`<Root ${NS}><Records>${record}</Records></Root>`, path, () => true, {
    file: 'SPXK_1.xml',
    encoding: 'utf-8',
  });
  if (!out.ok) throw new Error(out.reason);
  const r = out.file.records[0];
  return { values: r?.values, problems: r?.problems.map((p) => [p.column, p.code, p.message]) };
}

describe('xml-files: attributes of one local name in two namespaces', () => {
  it('refuses the field on the record element, naming both attributes and no value', () => {
    const { values, problems } = firstRecord('<Record a:DM="K1" b:DM="K2"><ID>1</ID></Record>');
    expect(values).toEqual({ ID: '1', DM: null });
    expect(problems).toEqual([
      [
        'DM',
        'LB_SOURCE_FIELD_CLASH',
        expect.stringContaining(
          'field DM of record 0 in file SPXK_1.xml is read from both attribute a:DM of the record element and attribute b:DM of the record element',
        ),
      ],
    ]);
    expect(JSON.stringify(problems)).not.toMatch(/K1|K2/);
  });

  it('refuses it on a nested element and on an occurrence of a repeated one', () => {
    const { values, problems } = firstRecord(
      '<Record><ID>1</ID><MC xml:lang="zh" lang="x">甲</MC><BZ xsi:nil="true" nil="n"/>' +
        '<XM a:dm="1">一</XM><XM a:dm="2" b:dm="3">二</XM></Record>',
    );
    expect(values).toMatchObject({ MC: '甲', 'MC.lang': null, BZ: null, 'BZ.nil': null, 'XM.dm': null });
    expect(problems?.map(([column, code]) => [column, code])).toEqual([
      ['MC.lang', 'LB_SOURCE_FIELD_CLASH'],
      ['BZ.nil', 'LB_SOURCE_FIELD_CLASH'],
      ['XM.dm', 'LB_SOURCE_FIELD_CLASH'],
    ]);
  });

  it('reads an attribute alone by its local name, and no namespace declaration as a field', () => {
    const { values, problems } = firstRecord(
      '<Record a:ZT="1" xmlns:c="urn:c"><ID>1</ID><MC xsi:nil="true"/><DZ xmlns="urn:d" c:dm="01">乙</DZ></Record>',
    );
    expect(problems).toEqual([]);
    expect(values).toEqual({ ID: '1', ZT: '1', MC: null, 'MC.nil': 'true', DZ: '乙', 'DZ.dm': '01' });
  });

  it('keeps an attribute and a child element of one local name apart, as without prefixes', () => {
    const { values } = firstRecord('<Record a:ID="7"><ID>8</ID></Record>');
    expect(values).toEqual({ ID: '7', 'ID.#text': '8' });
  });
});
