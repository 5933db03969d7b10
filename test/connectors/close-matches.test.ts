import { describe, expect, it } from 'vitest';
import { closeMatches, editDistance, suggestion } from '../../connectors/sql/close-matches.js';

describe('close matches for table and column names', () => {
  it('measures edit distance case-insensitively', () => {
    expect(editDistance('GXSJ', 'gxsj')).toBe(0);
    expect(editDistance('GXSJ', 'GXSL')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the closest names first and leaves unrelated ones out', () => {
    const columns = ['ID', 'XKZBH', 'JYZMC', 'GXSJ', 'FZRQ', 'YXQZ'];
    expect(closeMatches('GXSL', columns)[0]).toBe('GXSJ');
    expect(closeMatches('XKZH', columns)).toContain('XKZBH');
    expect(closeMatches('QQQQQQQQ', columns)).toEqual([]);
    expect(closeMatches('SPXK_XKZ', ['T_SPXK_XKZ', 'T_OTHER'])).toEqual(['T_SPXK_XKZ']);
  });

  it('lists what exists when nothing is close', () => {
    expect(suggestion('GXSL', ['GXSJ'], 'columns')).toBe('did you mean `GXSJ`?');
    expect(suggestion('ZZZZZZ', ['A1', 'B2'], 'tables')).toBe('existing tables: `A1`, `B2`');
    expect(suggestion('X', [], 'tables')).toBe('there are no tables');
  });
});
