/**
 * SQL Server's own alias type `sysname` (nvarchar(128), the type of the names in its catalog,
 * which legacy schemas reuse for user and operator names) is a system type, not a user's
 * (`is_user_defined` 0), with a user_type_id (256) of its own beside its system_type_id (231,
 * nvarchar). The catalog statement resolved only a user's alias types to the system type they stand
 * for (mssql-alias-types.test.ts), so a `sysname` column was described as `sysname`, a type no
 * rule knows: discovery said nothing of a `GXSJ sysname` cursor candidate being text, which it says
 * of every other text type. It is now described as the `nvarchar(128)` it is; CLR types
 * (hierarchyid, geography) keep their own names.
 *
 * No SQL Server runs here: the stand-in answers the catalog statement by evaluating the join it
 * sends against the sys.types rows SQL Server holds, and the rest of the SQL is the mssql client's own.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../../connectors/source.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';
import { createLogger } from '../../core/logger.js';
import { type Cell, catalogRow, intCell, mssqlSourceConfig, varcharCell } from './mssql-stand-in.js';

interface SysType {
  name: string;
  user_type_id: number;
  system_type_id: number;
  is_user_defined: number;
  is_assembly_type: number;
}

/** sys.types rows as SQL Server holds them (the system ones) and as CREATE TYPE makes them. */
const SYS_TYPES: SysType[] = [
  { name: 'int', user_type_id: 56, system_type_id: 56, is_user_defined: 0, is_assembly_type: 0 },
  { name: 'nvarchar', user_type_id: 231, system_type_id: 231, is_user_defined: 0, is_assembly_type: 0 },
  { name: 'sysname', user_type_id: 256, system_type_id: 231, is_user_defined: 0, is_assembly_type: 0 },
  { name: 'hierarchyid', user_type_id: 128, system_type_id: 240, is_user_defined: 0, is_assembly_type: 1 },
  { name: 'smalldatetime', user_type_id: 58, system_type_id: 58, is_user_defined: 0, is_assembly_type: 0 },
  { name: 'UpdTime', user_type_id: 257, system_type_id: 58, is_user_defined: 1, is_assembly_type: 0 },
];

/** dbo.T_YH: ID int primary key, CZY sysname, GXSJ sysname, JG hierarchyid, BGSJ UpdTime. */
const COLUMNS: { name: string; userTypeId: number; maxLength: number; pk?: 1 }[] = [
  { name: 'ID', userTypeId: 56, maxLength: 4, pk: 1 },
  { name: 'CZY', userTypeId: 256, maxLength: 256 },
  { name: 'GXSJ', userTypeId: 256, maxLength: 256 },
  { name: 'JG', userTypeId: 128, maxLength: 892 },
  { name: 'BGSJ', userTypeId: 257, maxLength: 4 },
];

/** One comparison of the join's condition: `u.x = 1`, `u.x <> u.y`. */
function holds(atom: string, u: SysType): boolean {
  const m = /^u\.(\w+)\s*(=|<>)\s*(?:u\.(\w+)|(\d+))$/.exec(atom.trim());
  if (!m) throw new Error(`a condition the stand-in does not model: ${atom}`);
  const field = (f: string) => u[f as keyof SysType] as number;
  const left = field(m[1] as string);
  const right = m[3] !== undefined ? field(m[3]) : Number(m[4]);
  return m[2] === '=' ? left === right : left !== right;
}

/** The sys.types row the catalog statement joins as `t` for a column of user type `u`. */
function joinedType(sql: string, u: SysType): SysType {
  const on = /JOIN sys\.types t ON t\.user_type_id =\s*([\s\S]+?)\s+JOIN sys\.objects/.exec(sql)?.[1];
  if (on === undefined) throw new Error('the catalog statement joins sys.types as t');
  const byId = (id: number) => SYS_TYPES.find((t) => t.user_type_id === id) as SysType;
  if (on === 'c.user_type_id') return u;
  const m = /^CASE WHEN ([\s\S]+?) THEN u\.(\w+)\s+ELSE u\.(\w+) END$/.exec(on);
  if (!m) throw new Error(`a join the stand-in does not model: ${on}`);
  const when = (m[1] as string)
    .split(/\s+OR\s+/)
    .some((all) => all.split(/\s+AND\s+/).every((a) => holds(a, u)));
  return byId(u[(when ? m[2] : m[3]) as keyof SysType] as number);
}

/** The type's text as the statement writes it: nvarchar and nchar with their length in characters. */
function typeText(t: SysType, maxLength: number): string {
  if (t.name === 'nvarchar' || t.name === 'nchar') return `${t.name}(${maxLength / 2})`;
  return t.name;
}

function answer(sql: string): Cell[][] {
  if (/sys\.columns/.test(sql))
    return COLUMNS.map((c) => {
      const u = SYS_TYPES.find((t) => t.user_type_id === c.userTypeId) as SysType;
      return catalogRow(c.name, typeText(joinedType(sql, u), c.maxLength), c.pk ?? 0);
    });
  if (/INFORMATION_SCHEMA\.TABLES/.test(sql)) return [[varcharCell('name', 'T_YH')]];
  if (/count\(\*\)/i.test(sql)) return [[intCell('n', 3)]];
  throw new Error(`a statement the stand-in does not answer: ${sql}`);
}

/** What discovery tells of dbo.T_YH, through the mssql client and a stand-in connection. */
async function discoverTable(): Promise<TableInfo> {
  const db = knexModule({
    client: (await mssqlDialect.knexConfig('s', mssqlSourceConfig())).client,
    connection: {},
  });
  const client = db.client as { acquireConnection(): Promise<unknown>; releaseConnection(): Promise<void> };
  const connection = {
    state: { name: 'LoggedIn' },
    beginTransaction: (done: (e?: Error) => void) => done(),
    rollbackTransaction: (done: (e?: Error) => void) => done(),
    execSql(request: {
      sqlTextOrProcedure: string;
      emit(event: string, ...args: unknown[]): void;
      callback(error?: Error): void;
    }) {
      let rows: Cell[][];
      try {
        rows = answer(request.sqlTextOrProcedure);
      } catch (error) {
        request.callback(error as Error);
        return;
      }
      for (const row of rows) request.emit('row', row);
      request.emit('requestCompleted');
    },
  };
  client.acquireConnection = async () => connection;
  client.releaseConnection = async () => undefined;
  const source = new SqlSource('market-food', mssqlSourceConfig(), mssqlDialect, db, {
    logger: createLogger({ level: 'silent' }),
  });
  try {
    const [table] = await source.discover({ table: 'dbo.T_YH' });
    if (!table) throw new Error('no table discovered');
    return table;
  } finally {
    await db.destroy();
  }
}

describe('a SQL Server column of the system alias type sysname', () => {
  it('is described as the nvarchar(128) it stands for; a CLR type and a user alias as before', async () => {
    const table = await discoverTable();
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ['ID', 'int'],
      ['CZY', 'nvarchar(128)'],
      ['GXSJ', 'nvarchar(128)'],
      ['JG', 'hierarchyid'],
      ['BGSJ', 'smalldatetime'],
    ]);
  });

  it('is said to be text when discovery suggests it as the cursor', async () => {
    const table = await discoverTable();
    expect(table.candidateCursors[0]).toBe('GXSJ');
    expect(table.notes).toContainEqual(
      expect.stringMatching(/^cursor candidate `GXSJ` is `nvarchar\(128\)`, text: no clock bounds it/),
    );
  });
});
