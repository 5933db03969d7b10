/**
 * The worklist's CSV (pipelines/quarantine-export.ts) opens in Excel and WPS, where a cell whose
 * text begins with `=`, `+`, `-` or `@` (or a tab, a CR, a NUL before it, which some spreadsheets
 * drop) runs as a formula. A source key or a value comes from the business system, so each such
 * cell is written with a leading apostrophe and reads as the text it is. A NUL was let through:
 * a SQLite ledger stores a key holding one as it is (ledger/nul-text.ts).
 */
import { describe, expect, it } from 'vitest';
import { worklistCsv } from '../../pipelines/quarantine-export.js';
import type { Worklist } from '../../pipelines/quarantine-list.js';

const at = new Date('2026-03-01T00:00:00Z');

function listOf(keys: readonly string[], value: string): Worklist {
  return {
    entries: keys.map((sourceKey) => ({
      pipeline: 'food',
      sourceKey,
      reasons: [
        {
          code: 'LB_MAP_DATE',
          message: 'not valid',
          zh: '日期无效',
          en: 'date not valid',
          column: 'YXQZ',
          value,
        },
      ],
      firstSeen: at,
      lastSeen: at,
      timesSeen: 1,
    })),
    byReason: { LB_MAP_DATE: keys.length },
  };
}

/** The cells of each data line, as a spreadsheet splits them (quoted cells unquoted). */
function cells(csv: string): string[][] {
  const lines = csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .slice(1, -1);
  return lines.map((line) =>
    [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
      .filter((m) => m.index < line.length || m[1] !== '')
      .map((m) => (m[1]?.startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : (m[1] ?? ''))),
  );
}

describe('the worklist CSV', () => {
  const leads = ['=', '+', '-', '@', '\t', '\r', '\u0000'];

  it.each(leads.map((c) => [JSON.stringify(c), c]))('writes a key beginning %s as text', (_, lead) => {
    const [row] = cells(worklistCsv(listOf([`${lead}HYPERLINK("http://x")`], 'ok'), 'Asia/Shanghai'));
    expect(row?.[1]).toBe(`'${lead}HYPERLINK("http://x")`);
  });

  it.each(leads.map((c) => [JSON.stringify(c), c]))('writes a value beginning %s as text', (_, lead) => {
    const [row] = cells(worklistCsv(listOf(['K1'], `${lead}1+1`), 'Asia/Shanghai'));
    expect(row?.[6]).toBe(`'${lead}1+1`);
  });

  it('leaves other cells as they are', () => {
    const [row] = cells(worklistCsv(listOf(['K-1'], '2026-13-01'), 'Asia/Shanghai'));
    expect(row?.slice(0, 7)).toEqual([
      'food',
      'K-1',
      'LB_MAP_DATE',
      '日期无效',
      'date not valid',
      'YXQZ',
      '2026-13-01',
    ]);
  });
});
