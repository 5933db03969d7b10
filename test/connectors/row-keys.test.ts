/**
 * How a page's rows get their keys (connectors/sql/row-keys.ts): a missing key becomes a stand-in
 * from the row's fingerprint with a problem naming the column; stored keys that read the same are
 * all flagged; a key stored twice as the same value is not this check's business.
 */
import { describe, expect, it } from 'vitest';
import { assignKeys, type KeyingRow, standInKey } from '../../connectors/sql/row-keys.js';

const row = (key: string | number | null, rawKey: unknown, fingerprint = 'ab'.repeat(16)): KeyingRow => ({
  values: { K: key, NAME: 'x' },
  rawKey,
  fingerprint,
  problems: [],
});

describe('assignKeys', () => {
  it('gives NULL and empty keys stand-ins of their own, flagged LB_SOURCE_KEY_MISSING', () => {
    const rows = [row(null, null, '1'.repeat(32)), row('', '   ', '2'.repeat(32)), row(7, 7)];
    expect(assignKeys('src', 'K', rows)).toEqual([
      standInKey('K', '1'.repeat(32)),
      'K:missing#2222222222222222',
      '7',
    ]);
    expect(rows[0]?.problems).toEqual([
      expect.objectContaining({ column: 'K', code: 'LB_SOURCE_KEY_MISSING' }),
    ]);
    expect(rows[0]?.problems[0]?.message).toContain('`K` is NULL');
    expect(rows[1]?.problems[0]?.message).toContain('`K` is empty');
    expect(rows[2]?.problems).toEqual([]);
  });

  it('flags every row whose stored key differs from another that reads the same', () => {
    const rows = [
      row('JY001', 'JY001'),
      row('JY001', 'JY001 '),
      row('JY002', 'JY002'),
      row('JY003', 'JY003'),
      row('JY003', 'JY003'),
    ];
    expect(assignKeys('src', 'K', rows)).toEqual(['JY001', 'JY001', 'JY002', 'JY003', 'JY003']);
    expect(rows.map((r) => r.problems.map((p) => p.code))).toEqual([
      ['LB_SOURCE_KEY_AMBIGUOUS'],
      ['LB_SOURCE_KEY_AMBIGUOUS'],
      [],
      [],
      [],
    ]);
  });
});
