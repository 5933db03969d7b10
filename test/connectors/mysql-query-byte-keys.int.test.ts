/**
 * A MySQL/MariaDB query stream (a stream given as SQL) keyed, or ordered, by a column of bytes
 * (`VARBINARY`, `BINARY`, `BLOB`) or a `BIT`. A table stream binds such a key's or cursor's
 * checkpoint back as the bytes, or as the BIT's number (mysql/dialect.ts `bind`), by the column's
 * type in the catalog; a query stream's columns have no catalog entry, and its checkpoint (`\x41`)
 * was bound as text: compared with the bytes as its ASCII (`\`, `x`, `4`, `1`), or as the number 0
 * with a BIT, a page resumed at another key, and the rows after it were never read — in pages of
 * one, none of the rows keyed by bytes. The key and cursor now take the type the server gives the
 * query's column, and are bound as a table's are.
 */
import { describe, expect, it } from 'vitest';
import type { StreamSpec } from '../../connectors/source.js';
import { keysOf, readAll } from './conformance.js';
import { mariadbSource } from './legacy-sources.js';

const BYTES = ['41', '4100', '5A', '0A', 'FF01', '7F'];

const legacy = mariadbSource(async (conn) => {
  await conn.query('CREATE TABLE T_VB (VB VARBINARY(16) PRIMARY KEY, BB BIT(12) NOT NULL, ID INT NOT NULL)');
  for (const [i, k] of BYTES.entries())
    await conn.query(`INSERT INTO T_VB VALUES (X'${k}', ?, ?)`, [(i * 700) % 4096, i]);
});

const query = 'SELECT VB, BB, ID FROM T_VB';
/** The keys a table stream of the same columns reads, in its order: what the query stream must read. */
async function asTable(stream: StreamSpec): Promise<string[]> {
  return keysOf(await readAll(legacy.source, { ...stream, table: 'T_VB', query: undefined }, 100));
}

describe('mysql: a query stream keyed or ordered by bytes or a BIT', () => {
  for (const [what, stream] of [
    ['keyed by VARBINARY', { table: 'vb', query, key: 'VB', keyUnique: true }],
    ['ordered by VARBINARY', { table: 'vb', query, key: 'ID', keyUnique: true, cursor: 'VB' }],
    ['ordered by BIT(12)', { table: 'vb', query, key: 'ID', keyUnique: true, cursor: 'BB' }],
  ] as [string, StreamSpec][]) {
    for (const pageSize of [1, 2]) {
      it(`${what}: reads every row once, in pages of ${pageSize}`, async () => {
        const read = keysOf(await readAll(legacy.source, stream, pageSize));
        expect(read).toHaveLength(BYTES.length);
        expect(read).toEqual(await asTable(stream));
      });
    }
  }
});
