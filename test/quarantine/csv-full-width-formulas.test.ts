/**
 * The worklist's CSV (pipelines/quarantine-export.ts) opens in Excel and WPS set up for Chinese,
 * a double-byte locale. There a cell beginning with the full-width ＝ ＋ － ＠ (U+FF1D, U+FF0B,
 * U+FF0D, U+FF20), as text typed with a Chinese or Japanese input method holds them, is read as a
 * formula as one beginning with = + - @ is (OWASP www-community issue 1088: `＝cmd|' /C calc'!A0`
 * runs in a Japanese Excel). Such a cell was written as it was; it now gets the apostrophe too.
 */
import { describe, expect, it } from 'vitest';
import { worklistCsv } from '../../pipelines/quarantine-export.js';
import { cells, listOf } from './worklist-csv-cells.js';

describe('the worklist CSV, full-width formula signs', () => {
  it.each(['＝', '＋', '－', '＠'])('writes a key and a value beginning %s as text', (lead) => {
    const row = cells(worklistCsv(listOf(`${lead}HYPERLINK("http://x")`, `${lead}1＋1`), 'Asia/Shanghai'));
    expect(row[1]).toBe(`'${lead}HYPERLINK("http://x")`);
    expect(row[6]).toBe(`'${lead}1＋1`);
  });

  it('leaves a full-width sign inside a cell, and other full-width text, as they are', () => {
    const row = cells(worklistCsv(listOf('Ｋ－1', '２０２６－１３－０１'), 'Asia/Shanghai'));
    expect(row[1]).toBe('Ｋ－1');
    expect(row[6]).toBe('２０２６－１３－０１');
  });
});
