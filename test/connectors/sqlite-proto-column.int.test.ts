/**
 * better-sqlite3 builds a row by assignment, so a table's column named `__proto__` is not in the
 * row it hands over. The value was read through the row's prototype instead: the column reached
 * the mappings as the text `{}`, a value the table never held, on every row. The read refuses such
 * a column, naming it and the way to read it (an alias in a query stream), as MariaDB's driver does.
 */
import { describe, expect, it } from 'vitest';
import { readAll } from './conformance.js';
import { sqliteSource } from './legacy-sources.js';

describe('SQLite column named __proto__', () => {
  const legacy = sqliteSource('licbridge-proto-column-', (db) =>
    db.exec(
      `CREATE TABLE lbx_proto (id integer PRIMARY KEY, "__proto__" text, "toString" text);
       INSERT INTO lbx_proto VALUES (1, 'JY001', 'T');`,
    ),
  );

  it('refuses the table rather than hand over a value it never held', async () => {
    const read = readAll(legacy.source, { table: 'lbx_proto', key: 'id' }, 10);
    await expect(read).rejects.toMatchObject({
      code: 'LB_SOURCE_SCHEMA',
      message: expect.stringContaining('column `__proto__`'),
    });
  });

  it('reads it under an alias', async () => {
    const stream = {
      table: 'q_proto',
      key: 'id',
      query: 'SELECT id, "__proto__" AS proto, "toString" FROM lbx_proto',
    };
    const rows = (await readAll(legacy.source, stream, 10)).flatMap((p) => p.rows);
    expect(rows.map((r) => Object.entries(r.values))).toEqual([
      [
        ['id', 1],
        ['proto', 'JY001'],
        ['toString', 'T'],
      ],
    ]);
  });
});
