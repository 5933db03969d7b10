/**
 * A DM cursor selected as text went through `CAST(col AS VARCHAR(128))`, which DM, like Oracle,
 * cuts to 128 bytes without an error (a CAST of text to a shorter VARCHAR is LEFT of it). A
 * VARCHAR(300) cursor of a longer value, or a VARCHAR(128) of more than 128 bytes under
 * LENGTH_IN_CHAR=1, saved the first 128 bytes as the checkpoint, which names no row: the next
 * page began before the page's last rows, which were read again, and a page of rows sharing the
 * first 128 bytes was read for ever. DM cannot run here: the statement the dialect makes is
 * answered as DM answers it, the cast cut to its bytes (LENGTH_IN_CHAR=0, UTF-8).
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { cursorTextOf } from '../../connectors/sql/key-cursors.js';
import { CURSOR_TEXT_ALIAS, type ResolvedStream, selectRows } from '../../connectors/sql/keyset.js';
import { column } from './lag-streams.js';

const dmConfig: SourceConfig = {
  kind: 'dm',
  connection: { host: 'dm.example', user: 'SPXK_RO' },
  trim: 'all',
  pageSize: 500,
};

/** A row of `s` holding `value` in its cursor column, as DM answers the page statement. */
async function dmRow(
  s: ResolvedStream & { cursor: ColumnMeta },
  value: string,
): Promise<Record<string, unknown>> {
  const db = knexModule(await dmDialect.knexConfig('dm-src', dmConfig));
  const { sql } = selectRows(db, dmDialect, s).toSQL();
  await db.destroy();
  const row: Record<string, unknown> = { ID: 1, [s.cursor.name]: value };
  const cast = new RegExp(
    `CAST\\("${s.cursor.name}" AS VARCHAR\\((\\d+)\\)\\) AS "${CURSOR_TEXT_ALIAS}"`,
  ).exec(sql);
  if (cast) {
    // DM's CAST to a shorter VARCHAR: the first n bytes of the value, no error.
    const bytes = Buffer.from(value, 'utf8').subarray(0, Number(cast[1]));
    row[CURSOR_TEXT_ALIAS] = bytes.toString('utf8');
  } else if (sql.includes(CURSOR_TEXT_ALIAS)) {
    throw new Error(`cursor text selected in a way this test does not answer: ${sql}`);
  }
  return row;
}

const stream = (type: string): ResolvedStream & { cursor: ColumnMeta } => {
  const cursor = column('BZ', type);
  return {
    table: 'SPXK.T_XKZ',
    columns: [column('ID', 'BIGINT'), cursor],
    key: column('ID', 'BIGINT'),
    cursor,
  };
};

// A remark 200 bytes long whose first 128 bytes are those of its neighbours (a common prefix).
const LONG = `${'A'.repeat(127)}-${'x'.repeat(72)}`;
// 60 CJK characters, 180 bytes in UTF-8: a VARCHAR(60) under LENGTH_IN_CHAR=1.
const WIDE = '食'.repeat(60);

describe('a DM text cursor longer than 128 bytes', () => {
  it.each([
    ['VARCHAR(300)', LONG],
    ['VARCHAR2(300)', LONG],
    ['VARCHAR(60)', WIDE],
    ['CHAR(200)', LONG],
  ])('keeps a %s value whole in the checkpoint', async (type, value) => {
    const s = stream(type);
    expect(cursorTextOf(dmDialect, s, await dmRow(s, value))).toBe(value);
  });

  it("keeps a query stream's untyped cursor whole", async () => {
    const s = { ...stream(''), columns: [], query: { sql: 'SELECT ID, BZ FROM SPXK.T_XKZ', params: [] } };
    expect(cursorTextOf(dmDialect, s, await dmRow(s, LONG))).toBe(LONG);
  });
});
