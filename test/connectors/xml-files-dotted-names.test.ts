/**
 * An element or attribute whose name holds a dot (legal in XML names: `<DZ.SHENG>`) and a nested
 * element (`<DZ><SHENG>`) flatten to one field name, `DZ.SHENG`: one value silently replaced the
 * other, and a mapping reading `DZ.SHENG` got whichever the parser met last. Such a field of a
 * record is refused: null, with a row problem naming the file, the record and both elements, never
 * a value, so the record is quarantined. A dotted name that meets no nested one reads as before.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

const PATH = ['Root', 'Records', 'Record'];

function parsed(records: string) {
  const out = parseRecords(`<Root><Records>${records}</Records></Root>`, PATH, () => true, {
    file: 'SPXK_1.xml',
    encoding: 'utf-8',
  });
  if (!out.ok) throw new Error(out.reason);
  return out.file;
}

describe('xml-files: a dotted element name and a nested element of the same path', () => {
  it('refuses the field of a record holding <DZ.SHENG> and <DZ><SHENG>, naming both elements', () => {
    const [record] = parsed(
      '<Record><ID>1</ID><DZ.SHENG>山东</DZ.SHENG><DZ><SHENG>河北</SHENG></DZ><MC>面馆</MC></Record>',
    ).records;
    expect(record?.values).toEqual({ ID: '1', 'DZ.SHENG': null, MC: '面馆' });
    expect(record?.problems).toHaveLength(1);
    const problem = record?.problems[0];
    expect(problem?.code).toBe('LB_SOURCE_FIELD_CLASH');
    expect(problem?.column).toBe('DZ.SHENG');
    expect(problem?.message).toContain('record 0 in file SPXK_1.xml');
    expect(problem?.message).toContain('<DZ.SHENG>');
    expect(problem?.message).toContain('<DZ><SHENG>');
    expect(problem?.message).not.toMatch(/山东|河北/);
  });

  it('refuses it in either document order', () => {
    const [record] = parsed(
      '<Record><ID>1</ID><DZ><SHENG>河北</SHENG></DZ><DZ.SHENG>山东</DZ.SHENG></Record>',
    ).records;
    expect(record?.values['DZ.SHENG']).toBeNull();
    expect(record?.problems.map((p) => p.code)).toEqual(['LB_SOURCE_FIELD_CLASH']);
  });

  it('refuses a dotted element beside an attribute of the same path, and a dotted attribute beside an element', () => {
    const [a, b] = parsed(
      '<Record><ID>1</ID><DZ dm="370211"/><DZ.dm>黄岛</DZ.dm></Record>' +
        '<Record ID="2" DZ.dm="370211"><DZ><dm>黄岛</dm></DZ></Record>',
    ).records;
    expect(a?.values['DZ.dm']).toBeNull();
    expect(a?.problems[0]?.message).toContain('attribute dm of <DZ>');
    expect(a?.problems[0]?.message).toContain('<DZ.dm>');
    expect(b?.values).toEqual({ ID: '2', 'DZ.dm': null });
    expect(b?.problems[0]?.message).toContain('attribute DZ.dm of the record element');
    expect(b?.problems[0]?.message).toContain('<DZ><dm>');
  });

  it('refuses the key field too: the row is quarantined under a stand-in key', () => {
    const [record] = parsed('<Record><XK.BH>A1</XK.BH><XK><BH>A2</BH></XK></Record>').records;
    expect(record?.values['XK.BH']).toBeNull();
    expect(record?.problems.map((p) => p.column)).toEqual(['XK.BH']);
  });

  it('refuses a field of a repeated element whose occurrences read it from different elements', () => {
    const [record] = parsed(
      '<Record><ID>1</ID><XM><a.b>甲</a.b></XM><XM><a><b>乙</b></a></XM><XM><a.b>丙</a.b><c>丁</c></XM></Record>',
    ).records;
    expect(record?.values).toEqual({ ID: '1', 'XM.a.b': null, 'XM.c': '[null,null,"丁"]' });
    expect(record?.problems.map((p) => p.column)).toEqual(['XM.a.b']);
    expect(record?.problems[0]?.message).toContain('<XM><a.b>');
    expect(record?.problems[0]?.message).toContain('<XM><a><b>');
  });

  it('reads a dotted name alone as before, and other records of the file as usual', () => {
    const file = parsed(
      '<Record><ID>1</ID><DZ.SHENG>山东</DZ.SHENG></Record>' +
        '<Record><ID>2</ID><DZ><SHENG>河北</SHENG></DZ></Record>' +
        '<Record><ID>3</ID><DZ.SHENG>山东</DZ.SHENG><DZ><SHENG>河北</SHENG></DZ></Record>',
    );
    expect(file.records.map((r) => [r.values, r.problems.length])).toEqual([
      [{ ID: '1', 'DZ.SHENG': '山东' }, 0],
      [{ ID: '2', 'DZ.SHENG': '河北' }, 0],
      [{ ID: '3', 'DZ.SHENG': null }, 1],
    ]);
    expect(file.fields).toEqual(['ID', 'DZ.SHENG']);
  });
});
