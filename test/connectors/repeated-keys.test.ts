/**
 * Rows of one page that share a key (connectors/sql/repeated-keys.ts): current at once with
 * different content, all are quarantined; identical copies are one state; an older cursor is
 * superseded by the newer row of its key; rows already quarantined for their key are left alone.
 */
import { describe, expect, it } from 'vitest';
import { type PageRowKey, settleRepeatedKeys } from '../../connectors/sql/repeated-keys.js';

const row = (key: string, cursor: string | null, fingerprint: string, code?: string): PageRowKey => ({
  key,
  cursor,
  fingerprint,
  problems: code ? [{ column: 'K', code, message: 'm' }] : [],
});
const codes = (rows: PageRowKey[]) => rows.map((r) => r.problems.map((p) => p.code));

describe('settleRepeatedKeys', () => {
  it('quarantines every row of a key held by rows with one cursor and different content', () => {
    const rows = [row('A', 't1', 'a'), row('B', 't1', 'b1'), row('B', 't1', 'b2'), row('C', 't2', 'c')];
    expect(settleRepeatedKeys('src', 'K', rows, true)).toEqual(new Set());
    expect(codes(rows)).toEqual([[], ['LB_SOURCE_KEY_DUPLICATE'], ['LB_SOURCE_KEY_DUPLICATE'], []]);
    const message = rows[1]?.problems[0]?.message ?? '';
    expect(message).toContain('source src');
    expect(message).toContain('`K`');
    expect(message).toContain('2 rows');
    expect(message).not.toContain('B');
  });

  it('does the same in a stream without a cursor', () => {
    const rows = [row('B', null, 'b1'), row('B', null, 'b2'), row('B', null, 'b3')];
    settleRepeatedKeys('src', 'K', rows, false);
    expect(codes(rows).flat()).toEqual(Array(3).fill('LB_SOURCE_KEY_DUPLICATE'));
    expect(rows[0]?.problems[0]?.message).toContain('3 rows');
  });

  it('lets identical copies of a row pass: one state', () => {
    const rows = [row('B', 't1', 'b'), row('B', 't1', 'b')];
    expect(settleRepeatedKeys('src', 'K', rows, true)).toEqual(new Set());
    expect(codes(rows)).toEqual([[], []]);
  });

  it('leaves out the older rows of a key whose newest cursor holds one state', () => {
    const rows = [row('B', null, 'b0'), row('A', 't1', 'a'), row('B', 't1', 'b1'), row('B', 't2', 'b2')];
    expect(settleRepeatedKeys('src', 'K', rows, true)).toEqual(new Set([0, 2]));
    expect(codes(rows)).toEqual([[], [], [], []]);
  });

  it('quarantines older rows too when the newest cursor holds two states', () => {
    const rows = [row('B', 't1', 'b0'), row('B', 't2', 'b1'), row('B', 't2', 'b2')];
    expect(settleRepeatedKeys('src', 'K', rows, true)).toEqual(new Set());
    expect(codes(rows).flat()).toEqual(Array(3).fill('LB_SOURCE_KEY_DUPLICATE'));
  });

  it('leaves rows already quarantined for their key (stand-ins, ambiguous keys) alone', () => {
    const rows = [
      row('K:missing#0', null, 'x', 'LB_SOURCE_KEY_MISSING'),
      row('K:missing#0', null, 'x', 'LB_SOURCE_KEY_MISSING'),
      row('J', 't1', 'j1', 'LB_SOURCE_KEY_AMBIGUOUS'),
      row('J', 't1', 'j2', 'LB_SOURCE_KEY_AMBIGUOUS'),
    ];
    expect(settleRepeatedKeys('src', 'K', rows, true)).toEqual(new Set());
    expect(codes(rows)).toEqual([
      ['LB_SOURCE_KEY_MISSING'],
      ['LB_SOURCE_KEY_MISSING'],
      ['LB_SOURCE_KEY_AMBIGUOUS'],
      ['LB_SOURCE_KEY_AMBIGUOUS'],
    ]);
  });
});

describe('settleRepeatedKeys, with rows of the key elsewhere in the source', () => {
  const held = (r: PageRowKey, newest: string | null): PageRowKey => ({ ...r, newest });

  it('leaves out a row whose key the source holds at a newer cursor, in a later page', () => {
    const rows = [row('A', 't1', 'a'), held(row('D', 't1', 'd-old'), 't4'), held(row('E', null, 'e'), 't5')];
    expect(settleRepeatedKeys('src', 'K', rows, true)).toEqual(new Set([1, 2]));
    expect(codes(rows)).toEqual([[], [], []]);
  });

  it('keeps the row at the newest cursor, and settles its page as before', () => {
    const rows = [held(row('D', 't1', 'd-old'), 't4'), held(row('D', 't4', 'd-new'), 't4')];
    expect(settleRepeatedKeys('src', 'K', rows, true)).toEqual(new Set([0]));
    expect(codes(rows)).toEqual([[], []]);
  });

  it('does not quarantine rows at one cursor when a newer row of their key follows', () => {
    const rows = [held(row('B', 't2', 'b1'), 't7'), held(row('B', 't2', 'b2'), 't7')];
    expect(settleRepeatedKeys('src', 'K', rows, true)).toEqual(new Set([0, 1]));
    expect(codes(rows)).toEqual([[], []]);
  });
});

describe('settleRepeatedKeys, rows in key order (reconciliation)', () => {
  it('flags a key whose rows share one cursor, and leaves keys with several cursors whole', () => {
    const rows = [
      row('B', 't2', 'b1'),
      row('B', 't2', 'b2'),
      row('D', 't4', 'd-new'),
      row('D', 't1', 'd-old'),
    ];
    expect(settleRepeatedKeys('src', 'K', rows, true, false)).toEqual(new Set());
    expect(codes(rows)).toEqual([['LB_SOURCE_KEY_DUPLICATE'], ['LB_SOURCE_KEY_DUPLICATE'], [], []]);
  });
});
