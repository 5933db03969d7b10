/**
 * The cursor's declared type reaches the dialect's cursor-as-text expression: SQL Server renders
 * a ROWVERSION cursor as 0x-hex (CONVERT style 1) and a date/time one in ODBC canonical form
 * (style 121); Oracle a DATE with an explicit format. A query stream's cursor has no declared type
 * (''), and the dialect then falls back to its generic form. The expected SQL is the vendors'
 * documented CONVERT styles and TO_CHAR formats, written out by hand.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { keyOnlyPage, type ResolvedStream, selectRows } from '../../connectors/sql/keyset.js';
import { column } from './lag-streams.js';

/** A column the catalog cannot tell leads an index or not. */
const col = (name: string, type: string) => column(name, type, { leadsIndex: null });

const stream = (cursorType: string): ResolvedStream => ({
  table: 't',
  columns: [col('id', 'int'), col('v', cursorType)],
  key: { ...col('id', 'int'), nullable: false, primaryKey: true },
  cursor: col('v', cursorType),
});

describe('the cursor type passed to cursorAsText', () => {
  const mssql = knexModule({ client: 'mssql' });
  const oracle = knexModule({ client: 'oracledb' });

  it('SQL Server: rowversion as hex (style 1), datetime2 as ODBC canonical (style 121)', () => {
    expect(selectRows(mssql, mssqlDialect, stream('rowversion')).toSQL().sql).toBe(
      'select [t].*, CONVERT(varchar(34), [v], 1) AS [__lb_cursor_text] from [t]',
    );
    expect(selectRows(mssql, mssqlDialect, stream('datetime2')).toSQL().sql).toBe(
      'select [t].*, CONVERT(varchar(40), [v], 121) AS [__lb_cursor_text] from [t]',
    );
  });

  it('Oracle: a DATE cursor with its explicit format; an untyped query cursor with plain TO_CHAR', () => {
    expect(selectRows(oracle, oracleDialect, stream('DATE')).toSQL().sql).toContain(
      `TO_CHAR("v", 'YYYY-MM-DD HH24:MI:SS') AS "__lb_cursor_text"`,
    );
    const untyped = { ...stream(''), columns: [], query: { sql: 'select id, v from t', params: [] } };
    expect(selectRows(oracle, oracleDialect, untyped).toSQL().sql).toContain(
      'TO_CHAR("v") AS "__lb_cursor_text"',
    );
  });

  it('no cursor: no cursor text column', () => {
    const { cursor: _, ...keyOnly } = stream('int');
    expect(keyOnlyPage(mssql, mssqlDialect, keyOnly, null, 5).toSQL().sql).toBe(
      'select top (?) * from [t] order by [id] asc',
    );
  });
});
