/**
 * A query's column types on MySQL and MariaDB (dialect.ts `queryColumnTypes`): the server
 * describes each column of a query reading none of its rows in its result set metadata, which
 * mysql2 hands back beside the rows: its type code, character set and fractional digits
 * (`decimals`), spelt by the type's name as information_schema's DATA_TYPE spells it, a time with
 * its digits as COLUMN_TYPE does (`time(6)`). A code not listed here is left out.
 */
import type { Knex } from 'knex';

/** The protocol's type codes (MySQL `enum_field_types`) by name; text and bytes share theirs. */
const NAMES: Record<number, string | readonly [text: string, bytes: string]> = {
  0: 'decimal',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'float',
  5: 'double',
  7: 'timestamp',
  8: 'bigint',
  9: 'mediumint',
  10: 'date',
  11: 'time',
  12: 'datetime',
  13: 'year',
  15: ['varchar', 'varbinary'],
  16: 'bit',
  245: 'json',
  246: 'decimal',
  247: 'enum',
  248: 'set',
  249: ['text', 'blob'],
  250: ['text', 'blob'],
  251: ['text', 'blob'],
  252: ['text', 'blob'],
  253: ['varchar', 'varbinary'],
  254: ['char', 'binary'],
  255: 'geometry',
};
/** The character set number of bytes (`binary`). */
const BINARY = 63;
/** The types written with their fractional digits. */
const FRACTIONAL = new Set(['time', 'datetime', 'timestamp']);

interface MysqlColumn {
  name: string;
  columnType: number;
  characterSet: number;
  decimals: number;
  /** A BIT's width in bits. */
  columnLength: number;
  /** Column flags: ENUM_FLAG, SET_FLAG among them. */
  flags: number;
}

// MySQL's column flags ENUM_FLAG and SET_FLAG: such a column is sent as a string (254).
const ENUM_FLAG = 256;
const SET_FLAG = 2048;

export function mysqlQueryColumnTypes(
  query: { sql: string; params: readonly unknown[] },
  read: <T>(query: (db: Knex) => PromiseLike<T>) => Promise<T>,
): Promise<ReadonlyMap<string, string>> {
  return read(async (db) => {
    // The column probe's inner query alone, without its outer join (column-list.ts): no row, but
    // the columns' metadata; MariaDB describes a NOT NULL ENUM on the outer join's side as a VARCHAR.
    const answer: unknown[] = await db.raw(
      `SELECT lb_c.* FROM (SELECT * FROM (${query.sql}) lb_q WHERE 1 = 0 LIMIT 0) lb_c`,
      query.params as Knex.RawBinding[],
    );
    const fields = answer[1] as MysqlColumn[] | undefined;
    const types = new Map<string, string>();
    for (const f of fields ?? []) {
      const named = f.flags & ENUM_FLAG ? 'enum' : f.flags & SET_FLAG ? 'set' : NAMES[f.columnType];
      if (named === undefined) continue;
      const name = typeof named === 'string' ? named : named[f.characterSet === BINARY ? 1 : 0];
      // Fractional digits 1 to 6; without them MySQL sends 0 (MariaDB too).
      const digits = FRACTIONAL.has(name) && f.decimals > 0 && f.decimals <= 6;
      // A BIT with its width, which sets the bytes mysql2 hands it over as.
      const width = name === 'bit' ? `(${f.columnLength})` : '';
      types.set(f.name, digits ? `${name}(${f.decimals})` : `${name}${width}`);
    }
    return types;
  });
}
