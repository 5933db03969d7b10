import { describe, expect, it } from 'vitest';
import { inReadWindow, parseReadWindow, RowRate } from '../../connectors/sql/gentle.js';
import { assertSingleSelect } from '../../connectors/sql/select-only.js';

describe('query streams accept one read-only SELECT only', () => {
  it('accepts SELECT and WITH … SELECT, with keywords inside literals and comments', () => {
    expect(assertSingleSelect('s', 'SELECT * FROM T WHERE ZT = ?;  ')).toBe('SELECT * FROM T WHERE ZT = ?');
    expect(
      assertSingleSelect('s', "WITH a AS (SELECT ID FROM T) SELECT * FROM a WHERE note <> 'DELETE; DROP'"),
    ).toContain('WITH');
    expect(assertSingleSelect('s', 'SELECT [update], "insert", `drop` FROM T -- DELETE\n')).toContain(
      '[update]',
    );
    expect(assertSingleSelect('s', "SELECT REPLACE(MC, ' ', '') AS MC FROM T")).toContain('REPLACE');
    expect(assertSingleSelect('s', 'SELECT $$;DROP$$ AS x /* ; */ FROM t')).toContain('$$');
  });

  it.each([
    ['DELETE FROM T', /starts with `DELETE`/],
    ['SELECT 1; DELETE FROM T', /more than one statement/],
    ['SELECT * INTO T2 FROM T', /contains `INTO`/],
    ['SELECT * FROM T FOR UPDATE', /FOR UPDATE/],
    ['WITH d AS (DELETE FROM T RETURNING *) SELECT * FROM d', /contains `DELETE`/],
    ['EXEC sp_who', /starts with `EXEC`/],
    ["SELECT 'unterminated", /unterminated/],
    ['', /starts with `\(nothing\)`/],
  ])('rejects %j before it runs', (sql, why) => {
    expect(() => assertSingleSelect('food', sql)).toThrow(why);
    expect(() => assertSingleSelect('food', sql)).toThrow(/^source food: query rejected/);
  });
});

describe('read window and row rate', () => {
  it('parses windows, including ones spanning midnight', () => {
    const night = parseReadWindow('s', '20:00-06:00');
    const at = (h: number, m = 0) => new Date(2024, 2, 1, h, m);
    expect(
      [at(19, 59), at(20), at(23, 59), at(0), at(5, 59), at(6), at(12)].map((d) => inReadWindow(night, d)),
    ).toEqual([false, true, true, true, true, false, false]);
    const day = parseReadWindow('s', '09:30-17:00');
    expect([at(9, 29), at(9, 30), at(16, 59), at(17)].map((d) => inReadWindow(day, d))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(() => parseReadWindow('food', '8pm-6am')).toThrow(
      /source food: readWindow: expected `HH:MM-HH:MM`/,
    );
  });

  it('paces rows to the ceiling averaged over the read', () => {
    let now = 1_000;
    const rate = new RowRate(100, () => now);
    expect(rate.delayAfter(50)).toBe(500);
    now += 500;
    expect(rate.delayAfter(50)).toBe(500);
    now += 2_000; // a slow page: the next may go at once
    expect(rate.delayAfter(100)).toBe(0);
    expect(new RowRate(undefined).delayAfter(1e6)).toBe(0);
  });
});
