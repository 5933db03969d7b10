import { describe, expect, it } from 'vitest';
import { inReadWindow, parseReadWindow, RowRate } from '../../connectors/sql/gentle.js';
import { assertSingleSelect } from '../../connectors/sql/select-only.js';

describe('query streams accept one read-only SELECT only', () => {
  it('accepts SELECT and WITH … SELECT, with keywords inside literals and comments', () => {
    expect(assertSingleSelect('s', 'SELECT * FROM T WHERE ZT = ?;  ', 'postgres')).toBe(
      'SELECT * FROM T WHERE ZT = ?',
    );
    expect(
      assertSingleSelect(
        's',
        "WITH a AS (SELECT ID FROM T) SELECT * FROM a WHERE note <> 'DELETE; DROP'",
        'postgres',
      ),
    ).toContain('WITH');
    expect(assertSingleSelect('s', 'SELECT [update], "insert" FROM T -- DELETE\n', 'mssql')).toBe(
      'SELECT [update], "insert" FROM T',
    );
    expect(assertSingleSelect('s', 'SELECT `drop` FROM T # DELETE', 'mysql')).toBe('SELECT `drop` FROM T');
    expect(assertSingleSelect('s', "SELECT REPLACE(MC, ' ', '') AS MC FROM T", 'mysql')).toContain('REPLACE');
    expect(
      assertSingleSelect('s', 'SELECT $$;DROP$$ AS x /* ; /* nested */ ; */ FROM t', 'postgres'),
    ).toContain('$$');
    expect(assertSingleSelect('s', "SELECT q'[it's; DELETE]' AS x FROM dual", 'oracle')).toContain("q'[");
    expect(
      assertSingleSelect('s', 'SELECT ID FROM T START WITH ID = 1 CONNECT BY PRIOR ID = PID', 'oracle'),
    ).toContain('CONNECT BY');
  });

  it('names only known keywords and listed functions, never other text of the query', () => {
    const key = '-----BEGIN TEST-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END TEST-----\n';
    expect(() => assertSingleSelect('s', key, 'sqlite')).toThrow(/it does not start with SELECT or WITH;/);
    expect(() => assertSingleSelect('s', 'SELECT dblink_secretname42(1)', 'postgres')).toThrow(
      /calls `dblink…`/,
    );
    expect(() => assertSingleSelect('s', 'SELECT UTL_SECRETNAME42.X(1) FROM dual', 'oracle')).toThrow(
      /package `UTL_…`/,
    );
  });

  it('cuts a trailing comment or semicolon, so the query can be wrapped as a subquery', () => {
    expect(assertSingleSelect('s', 'SELECT ID FROM T -- the valid ones', 'postgres')).toBe(
      'SELECT ID FROM T',
    );
    expect(assertSingleSelect('s', 'SELECT ID FROM T; /* done */\n', 'sqlite')).toBe('SELECT ID FROM T');
    expect(assertSingleSelect('s', 'SELECT ID -- key\nFROM T # last\n', 'mysql')).toBe(
      'SELECT ID -- key\nFROM T',
    );
  });

  it.each([
    ['DELETE FROM T', 'postgres', /starts with `DELETE`/],
    ['SELECT 1; DELETE FROM T', 'postgres', /more than one statement/],
    ['SELECT * INTO T2 FROM T', 'mssql', /contains `INTO`/],
    ['SELECT * FROM T FOR UPDATE', 'postgres', /FOR UPDATE/],
    ['SELECT * FROM T FOR NO KEY UPDATE', 'postgres', /FOR NO/],
    ['WITH d AS (DELETE FROM T RETURNING *) SELECT * FROM d', 'postgres', /contains `DELETE`/],
    ['EXEC sp_who', 'mssql', /starts with `EXEC`/],
    ["SELECT 'unterminated", 'postgres', /unterminated/],
    ['', 'postgres', /starts with `\(nothing\)`/],
    // MySQL reads `1--1` as 1 - -1: `--` starts a comment only before white space.
    ['SELECT * FROM T WHERE ID = 1--1 FOR UPDATE', 'mysql', /FOR UPDATE/],
    // `#` is a MySQL comment: the quote after it is not a string.
    ["SELECT ID FROM T # '\nLOCK IN SHARE MODE -- '", 'mysql', /contains `LOCK`/],
    // MySQL runs the text of version comments.
    ['SELECT ID FROM T /*!50000 FOR UPDATE */', 'mysql', /MySQL runs the text/],
    ['SELECT ID FROM T /*M! LOCK IN SHARE MODE */', 'mysql', /MySQL runs the text/],
    // A backslash escapes the quote in MySQL: the string ends later than a standard reading says.
    ["SELECT ID FROM T WHERE MC = 'x\\'' LOCK IN SHARE MODE -- '", 'mysql', /contains `LOCK`/],
    ["SELECT 'a\\' AS x, GET_LOCK('k', 10) AS y FROM T -- '", 'mysql', /calls `get_lock`/],
    // ... and the other way round, where NO_BACKSLASH_ESCAPES is set.
    ["SELECT 'a\\' FOR UPDATE -- '", 'mysql', /FOR UPDATE/],
    // Old PostgreSQL (standard_conforming_strings off) and E'…' strings escape with a backslash.
    ["SELECT E'\\'' FOR UPDATE -- '", 'postgres', /FOR UPDATE/],
    ["SELECT set_config('default_transaction_read_only', 'off', false)", 'postgres', /calls `set_config`/],
    ["SELECT pg_catalog.\"set_config\"('x', 'y', false)", 'postgres', /calls `set_config`/],
    ["SELECT pg_read_file('/etc/passwd')", 'postgres', /calls `pg_read_…`/],
    ["SELECT * FROM dblink('host=x', 'SELECT 1') AS t(a int)", 'postgres', /calls `dblink`/],
    ['SELECT pg_sleep(10)', 'postgres', /calls `pg_sleep`/],
    ['SELECT pg_advisory_lock(1)', 'postgres', /calls `pg_advisory_…`/],
    ["SELECT lo_import('/etc/passwd')", 'postgres', /calls `lo_…`/],
    ["SELECT query_to_xml('DELETE FROM T', true, true, '')", 'postgres', /calls `query_to_xml`/],
    ["SELECT LOAD_FILE('/etc/passwd')", 'mysql', /calls `load_file`/],
    ['SELECT SLEEP(5)', 'mysql', /calls `sleep`/],
    ['SELECT * FROM T WITH (UPDLOCK)', 'mssql', /contains `UPDLOCK`/],
    ["SELECT * FROM OPENROWSET('x', 'y', 'z')", 'mssql', /contains `OPENROWSET`/],
    ['SELECT DBMS_LOCK.SLEEP(5) FROM dual', 'oracle', /package `DBMS_LOCK`/],
    ["SELECT DBMS_XMLGEN.GETXML('DELETE FROM T') FROM dual", 'oracle', /package `DBMS_XMLGEN`/],
    ["SELECT load_extension('x')", 'sqlite', /calls `load_extension`/],
    ['SELECT 1 /* unterminated', 'mssql', /unterminated/],
  ] as const)('rejects %j (%s) before it runs', (sql, kind, why) => {
    expect(() => assertSingleSelect('food', sql, kind)).toThrow(why);
    expect(() => assertSingleSelect('food', sql, kind)).toThrow(/^source food: query rejected/);
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
