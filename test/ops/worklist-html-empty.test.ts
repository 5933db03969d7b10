/**
 * The quarantine worklist page with nothing on it. It said "the rows below did not become licenses
 * and need fixing" above an empty table of reasons and a list of headers without rows; it now says
 * there is nothing to fix and shows no tables. A list with rows reads as before.
 */
import { describe, expect, it } from 'vitest';
import { worklistHtml } from '../../pipelines/quarantine-export.js';

const text = (html: string) => html.replace(/<style>[\s\S]*<\/style>/, '').replace(/<[^>]+>/g, ' ');

describe('quarantine worklist HTML with no rows', () => {
  it('says nothing needs fixing, with no empty tables', () => {
    const html = worklistHtml(
      { entries: [], byReason: {} },
      'Asia/Shanghai',
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(text(html)).toContain('本清单中没有待处理的问题数据，无需改正。');
    expect(text(html)).toContain('生成时间：2026-01-01 08:00:00（北京时间）');
    expect(text(html)).not.toContain('下列业务记录');
    expect(html).not.toContain('<table');
    expect(html).not.toContain('<h2>');
  });

  it('keeps the lead, the counts and the list when there are rows', () => {
    const seen = new Date('2026-01-01T00:00:00Z');
    const html = worklistHtml(
      {
        entries: [
          {
            pipeline: 'food',
            sourceKey: '46',
            reasons: [{ code: 'LB_HOLDER_ID_CHECK', message: 'm', zh: '校验位不对', en: 'check character' }],
            firstSeen: seen,
            lastSeen: seen,
            timesSeen: 1,
          },
        ],
        byReason: { LB_HOLDER_ID_CHECK: 1 },
      },
      'Asia/Shanghai',
    );
    expect(text(html)).toContain('下列业务记录未能生成电子证照');
    expect(html).toContain('<table class="summary">');
    expect(html).toContain('<table class="list">');
    expect(text(html)).not.toContain('没有待处理的问题数据');
  });
});
