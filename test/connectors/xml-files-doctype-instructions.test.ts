/**
 * A processing instruction in a DOCTYPE's internal subset (XML 1.0 §2.8 allows one among the
 * declarations; an export tool stamps its name there) carries nothing a record holds. The parser's
 * DOCTYPE reader refused it, and with it the whole file; it is now read past, wherever its `>`,
 * `]` or quotes sit, and a declaration written inside one declares nothing.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

const PATH = ['Root', 'Records', 'Record'];

function read(subset: string): ReturnType<typeof parseRecords> {
  const text = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Root [
${subset}
]>
<Root><Records>
<Record><ID>1</ID><MC>甲</MC></Record>
<Record><ID>2</ID><MC>乙</MC></Record>
</Records></Root>
`;
  return parseRecords(text, PATH, () => true, { file: 'SPXK_1.xml', encoding: 'utf-8' });
}

function rows(outcome: ReturnType<typeof parseRecords>): [string | null, string | null][] {
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.file.records.map((r) => [r.values.ID ?? null, r.values.MC ?? null]);
}

const BOTH = [
  ['1', '甲'],
  ['2', '乙'],
];

describe('xml-files: a processing instruction in the DOCTYPE internal subset', () => {
  it('among declarations, is read past: every record is read', () => {
    expect(rows(read('  <?export-tool name="SPXK" version="2.1"?>\n  <!ELEMENT Root ANY>'))).toEqual(BOTH);
  });

  it('holding `>`, `]`, a lone quote or a comment opener ends or opens nothing', () => {
    const outcome = read(`  <!ELEMENT Root ANY>
  <?export-tool if a > b ]> then ' stays "open <!-- ?>
  <!ENTITY note "free text">`);
    expect(rows(outcome)).toEqual(BOTH);
  });

  it('holding a declaration declares nothing: an external entity written inside one is no entity', () => {
    const outcome = read('  <?copy <!ENTITY leak SYSTEM "file:///etc/passwd"> ?>');
    expect(rows(outcome)).toEqual(BOTH);
  });

  it('after a `?>` in an entity value or a comment, one is still found and read past', () => {
    const outcome = read(`  <!ENTITY note "ends with ?> here">
  <!-- a comment ?> with <?pi inside -->
  <?export-tool name="SPXK"?>`);
    expect(rows(outcome)).toEqual(BOTH);
  });

  it('spanning lines, blanked line breaks kept: an error after it names its line and column', () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Root [
  <?export-tool name="SPXK"
     version="2.1"?>
]>
<Root><Records>
<Record><ID>1</ID><MC>甲</MC></Recor>
</Records></Root>
`;
    const outcome = parseRecords(text, PATH, () => true, { file: 'SPXK_1.xml', encoding: 'utf-8' });
    expect(outcome.ok ? null : outcome.reason).toMatch(/^not well-formed XML at line 7, column 29:/);
  });

  it('left unterminated, the file is refused, not misread', () => {
    const outcome = read('  <?export-tool name="SPXK"');
    expect(outcome.ok).toBe(false);
  });
});
