/**
 * The worklist's CSV guards a cell beginning with a formula sign, and with the full-width ＝ ＋ － ＠
 * (csv-full-width-formulas). Other characters stand for the same signs: the small forms ﹦ ﹢ ﹣ ﹫
 * (U+FE66, U+FE62, U+FE63, U+FE6B, NFKC folds them to = + - @), and the minus sign − (U+2212), to
 * which the JIS X 0208 tables decode the full-width minus that code page 932 decodes to U+FF0D
 * (measured: glibc iconv SHIFT_JIS 0x817C -> U+2212, CP932 0x817C -> U+FF0D). A cell beginning with
 * one was written as it was; it now gets the apostrophe. The katakana prolonged sound mark ー
 * (U+30FC) is a kana letter no spreadsheet reads as a sign (pipelines/quarantine-export.ts says
 * why), and stays as it is.
 */
import { describe, expect, it } from 'vitest';
import { worklistCsv } from '../../pipelines/quarantine-export.js';
import { cells, listOf } from './worklist-csv-cells.js';

describe('the worklist CSV, characters that stand for a formula sign', () => {
  it.each([
    ['\u2212', 'minus sign'],
    ['\uFE63', 'small hyphen-minus'],
    ['\uFE62', 'small plus'],
    ['\uFE66', 'small equals'],
    ['\uFE6B', 'small commercial at'],
    ['\u207B', 'superscript minus'],
  ])('writes a key and a value beginning %s (%s) as text', (lead) => {
    const row = cells(worklistCsv(listOf(`${lead}HYPERLINK("http://x")`, `${lead}1+1`), 'Asia/Shanghai'));
    expect(row[1]).toBe(`'${lead}HYPERLINK("http://x")`);
    expect(row[6]).toBe(`'${lead}1+1`);
  });

  it('leaves a cell beginning with ー, or holding a sign further in, as it is', () => {
    const row = cells(worklistCsv(listOf('ーK1', 'K\u22121'), 'Asia/Shanghai'));
    expect(row[1]).toBe('ーK1');
    expect(row[6]).toBe('K\u22121');
    const astral = cells(worklistCsv(listOf('𠮷1', '−'), 'Asia/Shanghai'));
    expect(astral[1]).toBe('𠮷1');
    expect(astral[6]).toBe("'−");
  });
});
