/**
 * `xml:space="preserve"` declared as an element's default in the DOCTYPE (XML 1.0 §2.10 gives
 * this very declaration as its example: `<!ATTLIST poem xml:space (default|preserve) 'preserve'>`).
 * The element's white space is then data without the attribute being written, and the record read
 * the attribute (`DM.space` = `preserve`) while `trim` took a code ` 01` for `01`: two records told
 * apart by the space read as one key. The declared default now opens a preserving scope as the
 * written attribute does, and an element's own `xml:space` still decides for it.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

function records(doctype: string, body: string) {
  const out = parseRecords(
    `<!DOCTYPE Root [${doctype}]>\n<Root><Records>${body}</Records></Root>`,
    ['Root', 'Records', 'Record'],
    () => true,
    { file: 'SPXK_1.xml', encoding: 'utf-8' },
  );
  if (!out.ok) throw new Error(out.reason);
  return out.file.records.map((r) => r.values);
}

describe('xml-files: xml:space declared in the DOCTYPE', () => {
  it('keeps the white space of an element declared preserving, trailing spaces taken', () => {
    const rows = records(
      `<!ATTLIST DM xml:space (default|preserve) 'preserve'>`,
      '<Record><ID>1</ID><DM> 01 </DM><MC> 甲</MC></Record><Record><ID>2</ID><DM>01</DM></Record>',
    );
    expect(rows).toEqual([
      { ID: '1', DM: ' 01', 'DM.space': 'preserve', MC: '甲' },
      { ID: '2', DM: '01', 'DM.space': 'preserve' },
    ]);
  });

  it('holds for what the element holds, and an element’s own xml:space decides for it', () => {
    const [row] = records(
      `<!ATTLIST DZ xml:space (default|preserve) "preserve">`,
      '<Record><ID>1</ID><DZ><SHENG> 山东</SHENG><SHI xml:space="default"> 青岛</SHI></DZ>' +
        '<DZ xml:space="default"><SHENG> 河北</SHENG></DZ></Record>',
    );
    expect(row).toMatchObject({ 'DZ.SHENG': '[" 山东","河北"]', 'DZ.SHI': '["青岛",null]' });
  });
});
