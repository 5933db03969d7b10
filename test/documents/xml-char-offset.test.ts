// A part's problem names the byte offset of the character XML forbids, as it names the byte offset
// of bytes that are not UTF-8: one unit, the one a hex viewer shows. Counted in UTF-16 units, the
// offset after a holder's name in Chinese (three bytes a character) pointed well before the fault.
import { describe, expect, it } from 'vitest';
import { xmlCharProblem } from '../../adapters/documents/ofd/xml-characters.js';

describe('an XML part with a character XML forbids', () => {
  it('names its byte offset', () => {
    const before = '<n>青岛西海岸</n><m>';
    const bytes = Buffer.from(`${before}\uFFFF</m>`, 'utf8');
    expect(xmlCharProblem('Doc_0/Pages/Page_0/Content.xml', bytes)).toBe(
      `Doc_0/Pages/Page_0/Content.xml is not well-formed XML 1.0: character U+FFFF at byte offset ${Buffer.byteLength(before)}, which strict readers refuse`,
    );
  });

  it('names the byte offset of bytes that are not UTF-8 the same way', () => {
    const bytes = Buffer.concat([Buffer.from('<n>青岛</n>', 'utf8'), Buffer.from([0xc4, 0xe3])]);
    expect(xmlCharProblem('p.xml', bytes)).toBe(
      `p.xml is not well-formed XML 1.0: its bytes are not UTF-8 from byte offset ${Buffer.byteLength('<n>青岛</n>')}, which strict readers refuse`,
    );
  });
});
