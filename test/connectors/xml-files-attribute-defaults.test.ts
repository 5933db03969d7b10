/**
 * Default attribute values a DOCTYPE's internal subset declares (XML 1.0 §3.3.2): an export tool
 * that writes `<!ATTLIST Record ZT CDATA "1">` leaves `ZT="1"` out of the records that have it, as
 * XML allows, and every XML processor, validating or not (§5.1), reads them with it. licbridge read
 * such a record without the attribute, null where the export holds `1`, without a word. A declared
 * default (or `#FIXED` value) is now read where the element does not write the attribute.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

function records(doctype: string, body: string, path = ['Root', 'Records', 'Record']) {
  const out = parseRecords(
    `<!DOCTYPE Root [${doctype}]>\n<Root><Records>${body}</Records></Root>`,
    path,
    () => true,
    {
      file: 'SPXK_1.xml',
      encoding: 'utf-8',
    },
  );
  if (!out.ok) throw new Error(out.reason);
  return out.file.records.map((r) => ({ values: r.values, problems: r.problems.map((p) => p.code) }));
}

describe('xml-files: default attribute values declared in the DOCTYPE', () => {
  it('reads a declared default where a record leaves the attribute out, and the record’s own value where not', () => {
    const rows = records(
      `<!ATTLIST Record ZT CDATA "1" LX (A|B) 'A' BZ CDATA #IMPLIED DM NMTOKEN #REQUIRED>`,
      '<Record ZT="2" DM="x"><ID>1</ID></Record><Record DM="y"><ID>2</ID></Record>',
    );
    expect(rows).toEqual([
      { values: { ZT: '2', DM: 'x', ID: '1', LX: 'A' }, problems: [] },
      { values: { DM: 'y', ID: '2', ZT: '1', LX: 'A' }, problems: [] },
    ]);
  });

  it('reads a #FIXED value, on text-only, empty and repeated elements', () => {
    const [row] = records(
      '<!ELEMENT MC (#PCDATA)>\n<!ATTLIST MC lang CDATA #FIXED "zh">\n<!ATTLIST XM dw CDATA "个">',
      '<Record><ID>1</ID><MC>甲</MC><DZ><MC/></DZ><XM>一</XM><XM dw="件">二</XM></Record>',
    );
    expect(row?.values).toEqual({
      ID: '1',
      MC: '甲',
      'MC.lang': 'zh',
      'DZ.MC': null,
      'DZ.MC.lang': 'zh',
      XM: '["一","二"]',
      'XM.dw': '["个","件"]',
    });
  });

  it('reads defaults after enumerated and NOTATION types, spaced as the declaration writes them', () => {
    const [row] = records(
      `<!ATTLIST Record\n  LX NOTATION ( gif | png ) "png"\n  ZT ( 1 | 2 ) #FIXED '2'\n  DM CDATA #IMPLIED>`,
      '<Record><ID>1</ID></Record>',
    );
    expect(row?.values).toEqual({ ID: '1', LX: 'png', ZT: '2' });
  });

  it('decodes references in a default as in any attribute value', () => {
    const [row] = records('<!ATTLIST Record BZ CDATA "甲&amp;乙&#32;丙">', '<Record><ID>1</ID></Record>');
    expect(row?.values).toEqual({ ID: '1', BZ: '甲&乙 丙' });
  });

  it('takes no declaration from a comment, an entity value or a processing instruction', () => {
    const rows = records(
      `<!-- <!ATTLIST Record ZT CDATA "1"> -->\n<!ENTITY note "<!ATTLIST Record LX CDATA 'A'>">\n<?tool <!ATTLIST Record DM CDATA "x"> ?>`,
      '<Record><ID>1</ID></Record>',
    );
    expect(rows).toEqual([{ values: { ID: '1' }, problems: [] }]);
  });
});
