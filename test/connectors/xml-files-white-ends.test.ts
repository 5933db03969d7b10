/**
 * The white space the xml-files reader takes off a value's ends (or escapes at a CDATA section's
 * ends, or leaves out after a truncated file's last character) is found by index, not by regular
 * expressions anchored at the end: those took time quadratic in a run of white space in the middle
 * of a value (~10 s for `x`, 80,000 spaces, `x`), and an export holding one stalled the read.
 * The new code must take off exactly what the patterns took: the patterns are kept here as the
 * oracle, over a table of values and many random strings of white space of every kind (XML's
 * four, and U+3000, U+00A0 and the rest of `\s`, which are data) and other characters.
 * bench/xml-white-runs.ts measures the time.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';
import {
  withoutSpacesAtEnd,
  withoutXmlWhiteAtEnd,
  withoutXmlWhiteAtEnds,
  withXmlWhiteAtEndsEscaped,
  xmlWhiteEnds,
} from '../../connectors/xml-files/white-ends.js';
import { mulberry32 } from '../../core/seeded-random.js';

// The patterns as they were (record-values.ts LAYOUT_AT_ENDS and PADDING_AT_END, records.ts
// WHITE_AT_ENDS with its escaping, and endOf's end, limited to XML white space as it now is).
const oldLayoutAtEnds = (v: string) => v.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
const oldPaddingAtEnd = (v: string) => v.replace(/ +$/, '');
const oldEscapedAtEnds = (v: string) =>
  v.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, (white) => white.replace(/./gs, (c) => `&#${c.charCodeAt(0)};`));
const oldXmlWhiteAtEnd = (v: string) => v.replace(/[ \t\r\n]+$/, '');

const TABLE = [
  '',
  ' ',
  '\t\r\n ',
  'x',
  ' x',
  'x ',
  '  x  ',
  '\n\t 甲 乙 \r\n',
  'x     x',
  ' x \t\n x ',
  '\u3000\u3000经营范围\u3000',
  ' \u3000甲\u00a0 ',
  '\u00a0',
  '\u3000 ',
  ' \u3000',
  'x\v',
  '\fx\f',
  ' \u2028 ',
  '\ufeff x \ufeff',
  '\u0085 ',
  '甲 \n',
  '&#32;01 ',
  ' 😀 ',
  ' \ud800 ',
  `x${' '.repeat(1000)}x`,
  `${' '.repeat(500)}x${'\n'.repeat(500)}`,
];

// Characters the strings are drawn from: XML's white space four times as often as the rest.
const ALPHABET = [
  ...[' ', '\t', '\r', '\n'].flatMap((c) => [c, c, c, c]),
  '\u3000',
  '\u00a0',
  '\v',
  '\f',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u0085',
  '\u200b',
  'x',
  '甲',
  '&',
  '#',
  ';',
  '😀',
  '\ud800',
];

function randomStrings(count: number, seed: number): string[] {
  const next = mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = Math.floor(next() * 40);
    let s = '';
    for (let j = 0; j < length; j++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
    out.push(s);
  }
  return out;
}

const VALUES = [...TABLE, ...randomStrings(20_000, 20261205)];

/**
 * The values for which `now` gives other than `then`, each with both answers: every value is held
 * to the oracle and every difference named at once. An expect for each of the 20,026 values, in
 * each case, was most of this file's time.
 */
function differing<T>(now: (v: string) => T, then: (v: string) => T): [string, T, T][] {
  const out: [string, T, T][] = [];
  for (const v of VALUES) {
    const [a, b] = [now(v), then(v)];
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push([v, a, b]);
  }
  return out;
}

describe('xml-files: white space at the ends, by index, as the patterns took it', () => {
  it('takes the XML white space off both ends (trim of a value as written)', () => {
    expect(differing(withoutXmlWhiteAtEnds, oldLayoutAtEnds)).toEqual([]);
  });

  it('takes only the spaces off the end (CHAR padding)', () => {
    expect(differing(withoutSpacesAtEnd, oldPaddingAtEnd)).toEqual([]);
  });

  it("escapes the XML white space at both ends (a CDATA section's content)", () => {
    expect(differing(withXmlWhiteAtEndsEscaped, oldEscapedAtEnds)).toEqual([]);
  });

  it('takes the XML white space off the end (where a truncated file ends)', () => {
    expect(differing(withoutXmlWhiteAtEnd, oldXmlWhiteAtEnd)).toEqual([]);
  });

  it('tells where the white space at the ends ends and begins, as the pattern matched it', () => {
    const found = (v: string) => {
      const { start, end } = xmlWhiteEnds(v);
      return [...(start > 0 ? [[0, start]] : []), ...(end < v.length && end > 0 ? [[end, v.length]] : [])];
    };
    const matched = (v: string) =>
      [...v.matchAll(/^[ \t\r\n]+|[ \t\r\n]+$/g)].map((m) => [m.index, m.index + m[0].length]);
    expect(differing(found, matched)).toEqual([]);
  });
});

describe('xml-files: values with a long run of white space in the middle', () => {
  const run = ' '.repeat(20_000);
  const read = (record: string, trim: boolean) => {
    const out = parseRecords(
      `<Root><Records><Record><ID>1</ID>${record}</Record></Records></Root>`,
      ['Root', 'Records', 'Record'],
      () => trim,
    );
    if (!out.ok) throw new Error(out.reason);
    return out.file.records[0]?.values;
  };

  it('keeps the run and takes the layout and padding off the ends', () => {
    const values = read(
      `<MC>\n  x${run}x${run}\n</MC><BZ>x${run}&#32;${run}</BZ><DZ><![CDATA[ x${run}x ]]></DZ>`,
      true,
    );
    expect(values).toEqual({ ID: '1', MC: `x${run}x`, BZ: 'x', DZ: ` x${run}x` });
  });

  it('keeps it all where the field is not trimmed', () => {
    const values = read(`<MC>\n x${run}x${run}\n</MC><DZ><![CDATA[\r\n x${run}x \r\n]]></DZ>`, false);
    expect(values).toEqual({ ID: '1', MC: `\n x${run}x${run}\n`, DZ: `\n x${run}x \n` });
  });
});

describe('xml-files: a truncated file ending in white space that is data', () => {
  const reason = (text: string) => {
    const out = parseRecords(text, ['Root', 'Records', 'Record'], () => true, {
      file: 'SPXK_1.xml',
      encoding: 'utf-8',
    });
    if (out.ok) throw new Error('read as well-formed');
    return out.reason;
  };
  const cut = '<Root>\n<Records>\n<Record><ID>1</ID><JYFW>\u3000\u3000经营范围\u3000\u00a0';

  it('ends past its last U+3000 and U+00A0, not before them', () => {
    // `<Record><ID>1</ID><JYFW>` is 24 characters, the text after it 8: the end is column 33.
    expect(reason(cut)).toMatch(/^not well-formed XML at line 3, column 33: the file ends before elements/);
  });

  it('leaves out the XML white space after them, a run of it in the middle too', () => {
    expect(reason(`${cut}${' '.repeat(5000)}x \n\t\n`)).toMatch(
      /^not well-formed XML at line 3, column 5034: the file ends before elements/,
    );
  });
});
