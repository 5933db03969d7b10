/**
 * The quarantine worklist page says personal data in it is masked. A business system keyed by the
 * holder's ID or mobile number makes the record key personal data too: the page masks it as the
 * reconcile report does, and the CSV — the list the department filters to find each row — keeps it.
 */
import { describe, expect, it } from 'vitest';
import { worklistCsv, worklistHtml } from '../../pipelines/quarantine-export.js';
import type { Worklist } from '../../pipelines/quarantine-list.js';

const ID_KEY = '110105199003071234';
const PHONE_KEY = '13812345678';
const PASSPORT_KEY = 'E12345678';
const PLAIN_KEY = 'SPXK-2026-000123';

function list(): Worklist {
  const seen = new Date('2026-01-01T00:00:00Z');
  const entry = (sourceKey: string) => ({
    pipeline: 'food',
    sourceKey,
    reasons: [{ code: 'SCHEMA', message: 'm', zh: '缺少字段', en: 'missing field', column: 'XKZBH' }],
    firstSeen: seen,
    lastSeen: seen,
    timesSeen: 1,
  });
  return {
    entries: [entry(ID_KEY), entry(PHONE_KEY), entry(PASSPORT_KEY), entry(PLAIN_KEY)],
    byReason: { SCHEMA: 4 },
  };
}

describe('quarantine worklist HTML: record keys that are personal numbers', () => {
  it('masks an ID, mobile or passport number used as a key, and shows other keys whole', () => {
    const html = worklistHtml(list(), 'Asia/Shanghai');
    expect(html).toContain('个人信息已脱敏');
    expect(html).not.toContain(ID_KEY);
    expect(html).not.toContain(PHONE_KEY);
    expect(html).toContain('1101**********1234');
    expect(html).toContain('*******5678');
    // A passport holder's licenses keyed by the passport number: masked as error texts mask it.
    expect(html).not.toContain(PASSPORT_KEY);
    expect(html).toContain('E*******8');
    expect(html).toContain(PLAIN_KEY);
  });

  it('keeps every key whole in the CSV the department works from', () => {
    const csv = worklistCsv(list(), 'Asia/Shanghai');
    for (const key of [ID_KEY, PHONE_KEY, PASSPORT_KEY, PLAIN_KEY]) expect(csv).toContain(key);
  });
});
