/**
 * MySQL DECIMAL keys and cursors past a double's 15-16 digits: `DECIMAL(20,0)` ids copied from
 * Oracle NUMBER(20), update times kept as `DECIMAL(20,6)` (20240301080005.123456). A checkpoint
 * bound back as a string was compared with the column as a double on MySQL servers before
 * 5.6.22 / 5.7.6 (Bug #18411494, "wrong comparison on big decimal values"; the type-conversion
 * rules still say so: a string against a DECIMAL column is "compared as floating-point"), so
 * keys that round to one double were skipped or read again. Bound as DECIMAL at the column's
 * scale, the comparison is exact everywhere. MariaDB, which runs here, has compared such a string
 * as a decimal for long: it shows the reads stay whole, and the SQL shows the bind.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { readAll } from './conformance.js';
import { mariadbSource } from './legacy-sources.js';

// Neighbours a double cannot tell apart.
const KEYS = ['12345678901234567890', '12345678901234567891', '12345678901234567892', '12345678901234567893'];
const CURSORS = [
  '20240301080005.123456',
  '20240301080005.123457',
  '20240301080005.123458',
  '20240301080005.123459',
];

const legacy = mariadbSource(async (c) => {
  await c.query('CREATE TABLE T_ID (ID DECIMAL(20,0) PRIMARY KEY, MC VARCHAR(10))');
  await c.query('CREATE TABLE T_GX (ID INT PRIMARY KEY, GXSJ DECIMAL(20,6) NOT NULL)');
  for (const [i, k] of KEYS.entries()) {
    await c.query('INSERT INTO T_ID VALUES (?, ?)', [k, `n${i}`]);
    await c.query('INSERT INTO T_GX VALUES (?, ?)', [i + 1, CURSORS[i]]);
  }
});

const col = (type: string): ColumnMeta => ({
  name: 'X',
  type,
  nullable: false,
  primaryKey: false,
  unique: false,
  leadsIndex: true,
});

describe('mysql DECIMAL keys and cursors past 2^53', () => {
  it('binds the checkpoint as DECIMAL at the column scale, never as a string', () => {
    const db = knexModule({ client: 'mysql2' });
    const sqlOf = (v: unknown) => (v as { toSQL(): { sql: string } }).toSQL().sql;
    expect(sqlOf(mysqlDialect.bind(db, KEYS[0] as string, col('decimal(20,0)')))).toBe(
      'CAST(? AS DECIMAL(65,0))',
    );
    expect(sqlOf(mysqlDialect.bind(db, CURSORS[0] as string, col('decimal(20,6) unsigned')))).toBe(
      'CAST(? AS DECIMAL(65,6))',
    );
    expect(mysqlDialect.bind(db, 'JY001', col('varchar(20)'))).toBe('JY001');
  });

  it('reads every key and every cursor once, at every page size', async () => {
    for (const size of [1, 2, 3]) {
      const ids = (await readAll(legacy.source, { table: 'T_ID', key: 'ID' }, size)).flatMap((p) =>
        p.rows.map((r) => r.key),
      );
      expect(ids, `page size ${size}`).toEqual(KEYS);
      const gx = (await readAll(legacy.source, { table: 'T_GX', key: 'ID', cursor: 'GXSJ' }, size)).flatMap(
        (p) => p.rows.map((r) => r.values.GXSJ),
      );
      expect(gx, `page size ${size}`).toEqual(CURSORS);
    }
  });
});
