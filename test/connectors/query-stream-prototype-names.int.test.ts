/**
 * A query stream whose key or cursor is configured under a name every JavaScript object answers to
 * (`constructor`, `toString`), on real MariaDB, whose column names compare without case: the
 * database takes `ORDER BY toString` for the query's `TOSTRING`, and the check that the query
 * returns the column found `toString` on the row's prototype. `config check --connect` passed such
 * a key, and a run read such a cursor unchecked, where any other name the query returns only under
 * another case is refused with the close match. Both are now refused alike.
 */
import { describe, expect, it } from 'vitest';
import type { StreamSpec } from '../../connectors/source.js';
import { keysOf, readAll } from './conformance.js';
import { mariadbSource } from './legacy-sources.js';

const legacy = mariadbSource(async (conn) => {
  await conn.query('CREATE TABLE T_PROTO (CONSTRUCTOR VARCHAR(10) PRIMARY KEY, TOSTRING INT NOT NULL)');
  await conn.query("INSERT INTO T_PROTO VALUES ('K1', 1), ('K2', 2), ('K3', 3)");
});

const query = 'SELECT CONSTRUCTOR, TOSTRING FROM T_PROTO';

function notReturned(role: 'key' | 'cursor', column: string, returned: string) {
  return {
    code: 'LB_SOURCE_SCHEMA',
    message: expect.stringMatching(
      new RegExp(
        `^source legacy: ${role} column \`${column}\` not returned by the query of stream \`proto\`: .*${returned}`,
      ),
    ),
  };
}

describe('mariadb: a query stream keyed or ordered by a name every object answers to', () => {
  it('is refused by config check when the query returns the key only under another case, naming the column it does return', async () => {
    const stream: StreamSpec = { table: 'proto', query, key: 'constructor', keyUnique: true };
    await expect(legacy.source.checkStream?.(stream)).rejects.toMatchObject(
      notReturned('key', 'constructor', 'CONSTRUCTOR'),
    );
  });

  it('is refused when the query returns the cursor only under another case', async () => {
    const stream: StreamSpec = {
      table: 'proto',
      query,
      key: 'CONSTRUCTOR',
      keyUnique: true,
      cursor: 'toString',
    };
    await expect(readAll(legacy.source, stream, 2)).rejects.toMatchObject(
      notReturned('cursor', 'toString', 'TOSTRING'),
    );
  });

  it('reads every row under its own key where the names match', async () => {
    const stream: StreamSpec = {
      table: 'proto',
      query,
      key: 'CONSTRUCTOR',
      keyUnique: true,
      cursor: 'TOSTRING',
    };
    expect(keysOf(await readAll(legacy.source, stream, 2))).toEqual(['K1', 'K2', 'K3']);
  });
});
