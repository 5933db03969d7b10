/**
 * The quarantine worklist page shows a record's key, the column at fault and its (masked) value as
 * the business system holds them. A bidi override in one (U+202E) made the page read otherwise
 * than the data (Trojan Source, CVE-2021-42574), and a zero-width or control character — often
 * the very thing to fix in the row — showed as nothing. The page now names each such character
 * by its code point (`<U+202E>`), as licbridge's messages do, so the department sees what to delete.
 */
import { describe, expect, it } from 'vitest';
import { worklistHtml } from '../../pipelines/quarantine-export.js';
import type { Worklist } from '../../pipelines/quarantine-list.js';

const RLO = '\u202e';
/** Format characters (bidi controls, zero-width ones) and control characters but tab and newline. */
const HIDDEN = /(?![\t\n])[\p{Cf}\p{Cc}]/u;

function list(): Worklist {
  const seen = new Date('2026-01-01T00:00:00Z');
  return {
    entries: [
      {
        pipeline: 'food',
        sourceKey: `SPXK-${RLO}0123`,
        reasons: [
          {
            code: 'LB_MAP_DATE',
            message: 'm',
            zh: '日期无法识别',
            en: 'date not recognised',
            column: `FZRQ${RLO}`,
            value: `2026\u200b-01-01\u0000\ufeff`,
          },
        ],
        firstSeen: seen,
        lastSeen: seen,
        timesSeen: 1,
      },
    ],
    byReason: { LB_MAP_DATE: 1 },
  };
}

/** The text a reader sees: tags dropped, character references read. */
function shown(html: string): string {
  return html.replace(/<[^>]+>/g, '|').replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}

describe('quarantine worklist HTML: characters that show as nothing', () => {
  it('names each by its code point and holds none of them', () => {
    const html = worklistHtml(list(), 'Asia/Shanghai');
    expect(html).not.toMatch(HIDDEN);
    const text = shown(html);
    expect(text).toContain('SPXK-<U+202E>0123');
    expect(text).toContain('字段 FZRQ<U+202E>：');
    expect(text).toContain('2026<U+200B>-01-01<U+0000><U+FEFF>');
  });
});
