/**
 * A DOCTYPE's end and its literals are found by scans that move forward only: a file holding many
 * unterminated comments or processing instructions, in the internal subset or before the DOCTYPE,
 * is refused at once. Matched by lazy regexes instead, each unterminated `<!--` searched the rest
 * of the file again: 60,000 of them (240 KB) took about a minute, and a 64 MiB file held the
 * read for hours.
 */
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../../connectors/xml-files/records.js';

const PATH = ['Root', 'Records', 'Record'];
const RECORD = '<Root><Records><Record><ID>1</ID></Record></Records></Root>';
const N = 60_000;

function refusedQuickly(text: string): void {
  const outcome = parseRecords(text, PATH, () => true);
  expect(outcome.ok).toBe(false);
}

describe('xml-files: hostile DOCTYPEs are refused without a quadratic scan', () => {
  it('unterminated comments in the internal subset', { timeout: 5_000 }, () => {
    refusedQuickly(`<!DOCTYPE Root [${'<!--'.repeat(N)}\n${RECORD}`);
  });

  it('unterminated processing instructions in the internal subset', { timeout: 5_000 }, () => {
    refusedQuickly(`<!DOCTYPE Root [${'<?'.repeat(N)}\n${RECORD}`);
  });

  it('unterminated comments before the DOCTYPE', { timeout: 5_000 }, () => {
    refusedQuickly(`<?xml version="1.0"?>${'<!--'.repeat(N)}<!DOCTYPE Root [ ]>${RECORD}`);
  });

  it('a literal holding what would end the DOCTYPE keeps the file readable', () => {
    const outcome = parseRecords(
      `<!DOCTYPE Root [ <!-- a ' quote and <? --> <!ENTITY n "a > b ] c"> ]>\n${RECORD}`,
      PATH,
      () => true,
    );
    expect(outcome.ok && outcome.file.records.map((r) => r.values.ID)).toEqual(['1']);
  });
});
