/**
 * SQL Server and Oracle cannot run here. What is tested instead: the SQL each dialect makes (knex
 * compiles it without a connection) and what the dialect does with the value shapes the real
 * drivers (tedious, node-oracledb) return.
 */
import knexModule from 'knex';
import { ConnectionError } from 'tedious';
import { describe, expect, it } from 'vitest';
import type { ColumnMeta, SqlDialect } from '../../connectors/sql/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { cursorPage, keyOnlyPage, type ResolvedStream } from '../../connectors/sql/keyset.js';
import { resolveQueryStream } from '../../connectors/sql/resolve-stream.js';
import { normaliseValue } from '../../connectors/sql/values.js';
import { isZonedInstant } from '../../core/local-date.js';
import { column } from './lag-streams.js';

/** A column the catalog cannot tell leads an index or not. */
const col = (name: string, type: string) => column(name, type, { leadsIndex: null });

const compile = (client: string) => knexModule({ client });

function native(q: { toSQL(): { toNative(): { sql: string; bindings: readonly unknown[] } } }) {
  return q.toSQL().toNative();
}

describe('mssql paging SQL', () => {
  const db = compile('mssql');
  const s: ResolvedStream & { cursor: ColumnMeta } = {
    table: 'dbo.T_SPXK_XKZ',
    columns: [col('ID', 'int'), col('GXSJ', 'datetime2(7)'), col('JE', 'decimal(38,2)')],
    key: col('ID', 'int'),
    cursor: col('GXSJ', 'datetime2(7)'),
  };

  it('pages with TOP, the expanded strict pair comparison, and binds in the column types', () => {
    const { sql, bindings } = native(
      cursorPage(db, mssqlDialect, s, { cursor: '2024-03-01 08:00:05.1234567', key: '42' }, 500),
    );
    expect(sql).toContain('select top (@p0)');
    expect(sql).toContain('CONVERT(varchar(40), [GXSJ], 121) AS [__lb_cursor_text]');
    // A date/time cursor is bounded by the database's clock even without a lag window (keyset.ts readBound).
    expect(sql).toContain('[GXSJ] <= DATEADD(millisecond, @p1, SYSDATETIME())');
    expect(sql).toContain(
      '([GXSJ] > CAST(@p2 AS datetime2(7)) or ([GXSJ] = CAST(@p3 AS datetime2(7)) and [ID] > CAST(@p4 AS int)))',
    );
    expect(sql).toContain('order by [GXSJ] asc, [ID] asc');
    // DATEADD by minus lagMs: -0 at lagMs 0.
    expect(bindings).toEqual([500, -0, '2024-03-01 08:00:05.1234567', '2024-03-01 08:00:05.1234567', '42']);
  });

  it('selects wide DECIMALs as text so tedious cannot round them', () => {
    const { sql } = native(keyOnlyPage(db, mssqlDialect, s, null, 10));
    expect(sql).toContain('CAST([JE] AS varchar(50)) AS [JE]');
  });

  it('binds a DATETIME cursor as DATETIME: .003 must not become .0033333', () => {
    const dt = { ...s, cursor: col('GXSJ', 'datetime') };
    const { sql } = native(
      cursorPage(db, mssqlDialect, dt, { cursor: '2024-03-01 08:00:05.003', key: '1' }, 5),
    );
    expect(sql).toContain('CAST(@p2 AS datetime)');
  });

  it('takes a rowversion cursor as hex text and binds it back as bytes', () => {
    const rv = { ...s, cursor: col('RV', 'timestamp') };
    const { sql, bindings } = native(
      cursorPage(db, mssqlDialect, rv, { cursor: '0x00000000000007D1', key: '1' }, 5),
    );
    expect(sql).toContain('CONVERT(varchar(34), [RV], 1)');
    expect(Buffer.from(bindings[1] as Uint8Array).toString('hex')).toBe('00000000000007d1');
  });

  it('puts a lag bound on the database clock', () => {
    const { sql, bindings } = native(cursorPage(db, mssqlDialect, { ...s, lagMs: 5000 }, null, 5));
    expect(sql).toContain('[GXSJ] <= DATEADD(millisecond, @p1, SYSDATETIME())');
    expect(bindings).toEqual([5, -5000]);
  });

  it('wraps a query stream as a subquery', () => {
    const q = resolveQueryStream(
      'food',
      {
        table: 'valid',
        key: 'ID',
        cursor: 'GXSJ',
        query: 'SELECT ID, GXSJ FROM dbo.T WHERE ZT = ?',
        params: ['1'],
      },
      0,
      'mssql',
      mssqlDialect.lagBound !== undefined,
    );
    const { sql, bindings } = native(cursorPage(db, mssqlDialect, q as typeof s, null, 5));
    expect(sql).toContain('from (SELECT ID, GXSJ FROM dbo.T WHERE ZT = @p1) lb_q');
    expect(bindings).toEqual([5, '1']);
  });
});

describe('mssql value shapes (tedious)', () => {
  const n = mssqlDialect.normalise as NonNullable<SqlDialect['normalise']>;
  it('rowversion bytes become hex, BIGINT text becomes a number when exact', () => {
    expect(n(Buffer.from('00000000000007d1', 'hex'), 'timestamp')).toBe('0x00000000000007D1');
    expect(n('42', 'bigint')).toBe(42);
    expect(n('9223372036854775807', 'bigint')).toBe('9223372036854775807');
    expect(n('12345678901234567890.12', 'decimal(38,2)')).toBe('12345678901234567890.12');
    const d = new Date(Date.UTC(2024, 2, 1, 8, 0, 5, 3));
    expect(n(d, 'datetime')).toBe(d); // useUTC: UTC fields already are the stored fields
  });

  it('a DATETIMEOFFSET comes out marked as a zoned instant, a DATETIME or DATE does not', () => {
    // tedious builds a DATETIMEOFFSET 2024-03-01 07:00 +08:00 as the instant, and a DATETIME as
    // its stored fields in UTC (useUTC); shared normalisation must keep the one Date it is given.
    const offset = new Date('2024-02-29T23:00:00Z');
    const out = normaliseValue(n(offset, 'datetimeoffset(7)'), false);
    expect(out).toBe(offset);
    expect(isZonedInstant(out)).toBe(true);
    for (const type of ['datetime', 'datetime2(7)', 'date', 'smalldatetime']) {
      const wall = new Date(Date.UTC(2024, 2, 1, 23, 30));
      expect(isZonedInstant(normaliseValue(n(wall, type), false)), type).toBe(false);
    }
    // A query stream knows no types: nothing is marked.
    expect(isZonedInstant(n(new Date('2024-02-29T23:00:00Z'), undefined))).toBe(false);
  });

  it('classifies a failed login as SOURCE_AUTH naming the user, not the password', () => {
    const e = mssqlDialect.classifyError(
      new ConnectionError("Login failed for user 'spxk'.", 'ELOGIN'),
      'food',
      'spxk',
    );
    expect(e.code).toBe('LB_SOURCE_AUTH');
    expect(e.retryable).toBe(false);
    expect(e.message).toBe("source food: login failed as user `spxk`: Login failed for user 'spxk'.");
  });

  it('classifies a socket failure as retryable SOURCE_UNREACHABLE', () => {
    const e = mssqlDialect.classifyError(
      new ConnectionError('Failed to connect to 10.0.3.14:1433', 'ESOCKET'),
      'food',
    );
    expect([e.code, e.retryable]).toEqual(['LB_SOURCE_UNREACHABLE', true]);
  });
});

describe('oracle paging SQL', () => {
  const db = compile('oracledb');
  const s: ResolvedStream & { cursor: ColumnMeta } = {
    table: 'SPXK.T_SPXK_XKZ',
    columns: [col('ID', 'NUMBER(10,0)'), col('GXSJ', 'TIMESTAMP(6)')],
    key: col('ID', 'NUMBER(10,0)'),
    cursor: col('GXSJ', 'TIMESTAMP(6)'),
  };

  it('pages with ROWNUM over an ordered subquery and binds with explicit formats', () => {
    const { sql, bindings } = native(
      cursorPage(db, oracleDialect, s, { cursor: '2024-03-01 08:00:05.123456000', key: '42' }, 500),
    );
    // GXSJ is selected as text under its own name (oracle-wall-clock.test.ts): ordered by the column.
    expect(sql).toContain(`TO_CHAR("GXSJ", 'SYYYY-MM-DD HH24:MI:SS.FF9') AS "GXSJ"`);
    expect(sql).toMatch(
      /^select \* from \(select .* order by "T_SPXK_XKZ"\."GXSJ" asc, "ID" asc\) where rownum <= :\d+$/,
    );
    expect(sql).toContain(`TO_CHAR("GXSJ", 'YYYY-MM-DD HH24:MI:SS.FF9') AS "__lb_cursor_text"`);
    // A date/time cursor is bounded by the database's clock even without a lag window (keyset.ts readBound).
    expect(sql).toContain(`"GXSJ" <= SYSDATE - NUMTODSINTERVAL(:1, 'SECOND')`);
    expect(sql).toContain(
      `("GXSJ" > TO_TIMESTAMP(:2, 'YYYY-MM-DD HH24:MI:SS.FF9') or ("GXSJ" = TO_TIMESTAMP(:3, 'YYYY-MM-DD HH24:MI:SS.FF9') and "ID" > TO_NUMBER(:4)))`,
    );
    expect(bindings.slice(0, 4)).toEqual([
      0,
      '2024-03-01 08:00:05.123456000',
      '2024-03-01 08:00:05.123456000',
      '42',
    ]);
  });

  it('formats a DATE cursor to the second and uses the server clock for the lag bound', () => {
    const d = { ...s, cursor: col('GXSJ', 'DATE'), lagMs: 2500 };
    const { sql, bindings } = native(cursorPage(db, oracleDialect, d, null, 5));
    expect(sql).toContain(`TO_CHAR("GXSJ", 'YYYY-MM-DD HH24:MI:SS')`);
    expect(sql).toContain(`"GXSJ" <= SYSDATE - NUMTODSINTERVAL(:1, 'SECOND')`);
    // lagMs and the second a DATE stands for (oracle-second-cursor-lag.test.ts).
    expect(bindings[0]).toBe(3.5);
  });
});

describe('oracle value shapes (node-oracledb)', () => {
  const n = oracleDialect.normalise as NonNullable<SqlDialect['normalise']>;
  it('NUMBER text is a number only when exact', () => {
    expect(n('42', 'NUMBER(10,0)')).toBe(42);
    expect(n('123456789012345678', 'NUMBER(18,0)')).toBe('123456789012345678');
    expect(n('12.5', 'NUMBER(10,2)')).toBe('12.5');
    expect(n('0042', 'VARCHAR2(10)')).toBe('0042');
  });

  it('a DATE built in the host zone keeps its wall-clock fields as UTC fields', () => {
    const local = new Date(2024, 2, 1, 8, 0, 5); // how node-oracledb builds a DATE: host-local
    expect((n(local, 'DATE') as Date).toISOString()).toBe('2024-03-01T08:00:05.000Z');
    const instant = new Date(Date.UTC(2024, 2, 1, 0, 0, 5));
    expect(n(instant, 'TIMESTAMP(6) WITH TIME ZONE')).toBe(instant);
  });

  it('TIMESTAMP WITH [LOCAL] TIME ZONE comes out marked as a zoned instant, DATE and TIMESTAMP do not', () => {
    for (const type of ['TIMESTAMP(6) WITH TIME ZONE', 'TIMESTAMP(6) WITH LOCAL TIME ZONE']) {
      const instant = new Date('2024-02-29T23:00:00Z'); // 2024-03-01 07:00 +08:00
      const out = normaliseValue(n(instant, type), false);
      expect(out, type).toBe(instant);
      expect(isZonedInstant(out), type).toBe(true);
    }
    for (const type of ['DATE', 'TIMESTAMP(6)']) {
      const local = new Date(2024, 2, 1, 23, 30); // host-local, as node-oracledb builds it
      const out = normaliseValue(n(local, type), false);
      expect(isZonedInstant(out), type).toBe(false);
      expect((out as Date).toISOString()).toBe('2024-03-01T23:30:00.000Z');
    }
  });

  it('classifies ORA-01017 as SOURCE_AUTH and a thin-mode refusal with the thick-mode hint', () => {
    const login = Object.assign(new Error('ORA-01017: invalid username/password; logon denied'), {
      code: 'ORA-01017',
      errorNum: 1017,
    });
    const e = oracleDialect.classifyError(login, 'hr', 'SPXK_RO');
    expect([e.code, e.retryable]).toEqual(['LB_SOURCE_AUTH', false]);
    expect(e.message).toContain('user `SPXK_RO`');
    const old = Object.assign(
      new Error('NJS-138: connections to this database server version are not supported'),
      {
        code: 'NJS-138',
      },
    );
    expect(oracleDialect.classifyError(old, 'hr').message).toContain('thickMode');
    const lost = Object.assign(new Error('ORA-03113: end-of-file on communication channel'), {
      code: 'ORA-03113',
    });
    expect(oracleDialect.classifyError(lost, 'hr').retryable).toBe(true);
  });
});
