/**
 * A SQL Server `binary(n)` or `varbinary(n)` cursor's text was `CONVERT(varchar(34), col, 1)`:
 * `0x` and the hex of 16 bytes, room for a rowversion (8) but cut short, without an error, for a
 * longer value (a `binary(32)` digest, a `varbinary(64)` change stamp). The checkpoint named no
 * row: the page resumed after a shorter value, before the page's last rows, which were read again,
 * for ever where a page's rows shared their first 16 bytes. No SQL Server runs here: the statement
 * knex's mssql client compiles is answered as SQL Server answers it, the CONVERT cut to its length.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { cursorTextOf } from '../../connectors/sql/key-cursors.js';
import { CURSOR_TEXT_ALIAS, selectRows } from '../../connectors/sql/keyset.js';
import { column, cursorStream } from './lag-streams.js';

const db = knexModule({ client: 'mssql', connection: {} });

/** Row 1 of dbo.T_XKZ with `bytes` in its cursor GX of `type`, as SQL Server answers the page. */
function mssqlRow(type: string, bytes: Buffer): { text: string | null; sql: string } {
  const s = cursorStream('dbo.T_XKZ', column('ID', 'int'), column('GX', type));
  const { sql } = selectRows(db, mssqlDialect, s).toSQL();
  const convert = new RegExp(
    `CONVERT\\(varchar\\((\\d+|max)\\), \\[GX\\], 1\\) as \\[${CURSOR_TEXT_ALIAS}\\]`,
    'i',
  ).exec(sql);
  if (!convert) throw new Error(`cursor text selected in a way this test does not answer: ${sql}`);
  const full = `0x${bytes.toString('hex').toUpperCase()}`;
  // SQL Server's CONVERT to a shorter varchar: the first n characters, no error.
  const printed = convert[1]?.toLowerCase() === 'max' ? full : full.slice(0, Number(convert[1]));
  return { text: cursorTextOf(mssqlDialect, s, { ID: 1, GX: bytes, [CURSOR_TEXT_ALIAS]: printed }), sql };
}

const DIGEST = Buffer.from('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'hex');

describe('a SQL Server binary cursor longer than 16 bytes', () => {
  it.each(['binary(32)', 'varbinary(64)', 'varbinary(max)'])(
    'keeps a %s value whole in the checkpoint',
    (type) => {
      expect(mssqlRow(type, DIGEST).text).toBe(`0x${DIGEST.toString('hex').toUpperCase()}`);
    },
  );

  it('selects a rowversion and a binary(16) as before', () => {
    const stamp = Buffer.from('00000000000007D1', 'hex');
    expect(mssqlRow('timestamp', stamp).sql).toContain('CONVERT(varchar(34), [GX], 1)');
    expect(mssqlRow('binary(16)', DIGEST.subarray(0, 16)).sql).toContain('CONVERT(varchar(34), [GX], 1)');
    expect(mssqlRow('timestamp', stamp).text).toBe('0x00000000000007D1');
  });
});
