/**
 * XML 1.0 §3.3: "When more than one definition is provided for the same attribute of a given
 * element type, the first declaration is binding and later declarations are ignored." A first
 * declaration without a default (`#IMPLIED`, `#REQUIRED`) bound nothing here, so a later one's
 * default was given to the records that leave the attribute out, a value the export's own XML
 * library never reads (`ZT` = `2` where it reads none).
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

function values(doctype: string, body: string) {
  const out = parseRecords(
    `<!DOCTYPE Root [${doctype}]>\n<Root><Records>${body}</Records></Root>`,
    ['Root', 'Records', 'Record'],
    () => true,
    { file: 'SPXK_1.xml', encoding: 'utf-8' },
  );
  if (!out.ok) throw new Error(out.reason);
  return out.file.records.map((r) => r.values);
}

describe('xml-files: an attribute declared twice in the DOCTYPE', () => {
  it('takes the first declaration, also when it declares no default', () => {
    for (const first of ['CDATA #IMPLIED', 'CDATA #REQUIRED']) {
      const rows = values(
        `<!ATTLIST Record ZT ${first}>\n<!ATTLIST Record ZT CDATA "2">`,
        '<Record><ID>1</ID></Record><Record ZT="3"><ID>2</ID></Record>',
      );
      expect(rows).toEqual([{ ID: '1' }, { ZT: '3', ID: '2' }]);
    }
  });

  it('within one ATTLIST too', () => {
    const rows = values('<!ATTLIST Record ZT CDATA #IMPLIED ZT CDATA "2">', '<Record><ID>1</ID></Record>');
    expect(rows).toEqual([{ ID: '1' }]);
  });

  it('the first default, and the first type, of two that declare one', () => {
    const rows = values(
      '<!ATTLIST Record ZT CDATA "1" DM CDATA #IMPLIED>\n<!ATTLIST Record ZT CDATA "2" DM NMTOKENS #IMPLIED>',
      '<Record DM=" 01  02 "><ID>1</ID></Record>',
    );
    expect(rows).toEqual([{ DM: '01  02', ID: '1', ZT: '1' }]);
  });
});
