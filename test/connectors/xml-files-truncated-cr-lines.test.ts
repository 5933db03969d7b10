/**
 * XML 1.0 §2.11: a CR alone ends a line, as CR LF and LF do. A file that is not well-formed is
 * reported at its line and column; in a file whose lines end in a CR alone (classic Mac tools, some
 * legacy report writers) every position was told as line 1, at a column past the whole file, so an
 * engineer could not find where a truncated export ends or where a broken one breaks.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

const PATH = ['Root', 'Records', 'Record'];

function reason(text: string): string {
  const out = parseRecords(text, PATH, () => true, { file: 'SPXK_1.xml', encoding: 'utf-8' });
  if (out.ok) throw new Error('read as well-formed');
  return out.reason;
}

const lines = [
  '<?xml version="1.0"?>',
  '<Root>',
  '  <Records>',
  '    <Record><ID>1</ID></Record>',
  '    <Record><ID>2</ID>',
];

describe('xml-files: positions in a file whose lines end in CR, CR LF or LF', () => {
  for (const [name, end] of [
    ['CR', '\r'],
    ['CR LF', '\r\n'],
    ['LF', '\n'],
  ] as const) {
    it(`a truncated file ends at its last line (${name})`, () => {
      const text = lines.join(end) + end;
      expect(reason(text)).toMatch(
        /^not well-formed XML at line 5, column 23: the file ends before elements/,
      );
    });

    it(`a mismatched tag is at its line (${name})`, () => {
      const text = [...lines.slice(0, 4), '    <Record><ID>2</I></Record>', '  </Records>', '</Root>'].join(
        end,
      );
      expect(reason(text)).toMatch(
        /^not well-formed XML at line 5, column \d+: Expected closing tag 'ID' \(opened in line 5, col 13\)/,
      );
    });
  }

  it('counts a lone CR inside a line as a line end', () => {
    const text = '<Root>\r\n<Records>\r<Record><ID>1</ID>\n<Record>';
    expect(reason(text)).toMatch(/^not well-formed XML at line 4, column 9:/);
  });
});
