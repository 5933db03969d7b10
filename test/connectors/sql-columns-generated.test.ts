/**
 * The column listing of a query stream on SQL Server and Oracle (which cannot run here): the SQL
 * made for them (connectors/sql/column-list.ts), and the column names read from the answer in
 * each driver's shape. SQLite, PostgreSQL and MariaDB run it in sql-columns.int.test.ts.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { columnProbe, probedColumns } from '../../connectors/sql/column-list.js';
import { resolveQueryStream } from '../../connectors/sql/resolve-stream.js';

const QUERY = 'SELECT ID, ZT AS STATUS FROM T_SPXK_XKZ WHERE QY = ?';

function probe(client: string, family: 'mssql' | 'oracle') {
  const s = resolveQueryStream(
    'legacy',
    { table: 'licences', key: 'ID', query: QUERY, params: ['370211'] },
    0,
    family,
    true,
  );
  if (!s.query) throw new Error('expected a query stream');
  return columnProbe(knexModule({ client }), family, s.query).toSQL().toNative();
}

describe('column probe SQL', () => {
  it('SQL Server: a derived constant row, the query under WHERE 1 = 0, its parameter bound', () => {
    expect(probe('mssql', 'mssql')).toEqual({
      sql: 'SELECT lb_c.* FROM (SELECT 1 AS lb_one) lb_d LEFT JOIN (SELECT * FROM (SELECT ID, ZT AS STATUS FROM T_SPXK_XKZ WHERE QY = @p0) lb_q WHERE 1 = 0) lb_c ON 1 = 0',
      bindings: ['370211'],
    });
  });

  it('Oracle: the constant row from dual, no AS before a table alias', () => {
    expect(probe('oracledb', 'oracle')).toEqual({
      sql: 'SELECT lb_c.* FROM (SELECT 1 AS lb_one FROM dual) lb_d LEFT JOIN (SELECT * FROM (SELECT ID, ZT AS STATUS FROM T_SPXK_XKZ WHERE QY = :1) lb_q WHERE 1 = 0) lb_c ON 1 = 0',
      bindings: ['370211'],
    });
  });
});

describe('column names from the probe’s answer', () => {
  it('reads rows, mysql2’s [rows, fields] and pg’s { rows }', () => {
    const row = { ID: null, STATUS: null };
    expect(probedColumns([row])).toEqual(['ID', 'STATUS']);
    expect(probedColumns([[row], [{ name: 'ID' }, { name: 'STATUS' }]])).toEqual(['ID', 'STATUS']);
    expect(probedColumns({ rows: [row], fields: [] })).toEqual(['ID', 'STATUS']);
    expect(probedColumns([])).toEqual([]);
    expect(probedColumns(undefined)).toEqual([]);
  });
});
