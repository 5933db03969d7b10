// `verify --file` and `verify --all` print and store the problems of a license file. An XML part
// that does not parse (a truncated or damaged OFD.xml, Signatures.xml or Signature.xml) is named
// with where the parser stopped, never with its text: the parser quotes up to a hundred
// characters around an unclosed tag, and OFD.xml's DocInfo holds the license's title.
import { describe, expect, it } from 'vitest';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';

const NAME = '欧阳秀英';
const ID = '11010519491231002X';

function ofdFile(parts: Record<string, string>): Buffer {
  return writeZip(
    Object.entries(parts).map(([name, text]) => ({ name, data: Buffer.from(text, 'utf8') })),
    new Date('2026-01-01T00:00:00Z'),
  );
}

const OFD_HEAD = '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016">';
const LISTING = `${OFD_HEAD}<ofd:DocBody><ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>`;

describe('an OFD file with an XML part that does not parse', () => {
  it.each([
    [
      'OFD.xml cut short after its DocInfo',
      {
        'OFD.xml': `${OFD_HEAD}<ofd:DocBody><ofd:DocInfo><ofd:Title>${NAME} ${ID}</ofd:Title></ofd:DocInfo><ofd:Signatures`,
      },
      'OFD.xml',
    ],
    [
      'a Signatures.xml with an attribute left open',
      {
        'OFD.xml': LISTING,
        'Doc_0/Signs/Signatures.xml': `<ofd:Signatures><ofd:Signature BaseLoc="${NAME}${ID}`,
      },
      'Doc_0/Signs/Signatures.xml',
    ],
  ])('fails %s naming the part and position, quoting none of it', (_, parts, part) => {
    const result = verifyOfd(ofdFile(parts), []);
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    expect(result.problems).toEqual([
      expect.stringMatching(
        new RegExp(`^malformed OFD: ${part} is not well-formed XML: the parser stops at position \\d+$`),
      ),
    ]);
    for (const piece of [NAME, ID, ID.slice(0, 6), ID.slice(-6), 'Title', 'Context'])
      expect(text).not.toContain(piece);
  });

  it("keeps a parser's fixed sentence, which quotes nothing", () => {
    const result = verifyOfd(ofdFile({ 'OFD.xml': `${OFD_HEAD}<!-- ${NAME} ${ID}` }), []);
    expect(result.problems).toEqual([
      'malformed OFD: OFD.xml is not well-formed XML (Comment is not closed.)',
    ]);
  });
});
