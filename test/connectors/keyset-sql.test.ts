/**
 * Keyset paging SQL for PostgreSQL, exact: the lag window appears only for a positive lagMs (a
 * date/time cursor is bounded by the database clock itself without one), the
 * strict (cursor, key) row comparison follows the checkpoint, and the cursor's text form rides
 * along under its alias. knex compiles without a connection.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import {
  cursorPage,
  keyChunk,
  keyOnlyPage,
  nullCursorPage,
  type ResolvedStream,
} from '../../connectors/sql/keyset.js';
import { column } from './lag-streams.js';

/**
 * The session's own wall clock (746e8a28): a read transaction sets TimeZone to the mappings' zone
 * and keeps the session's first in licbridge.session_zone, where a `timestamp` column's values are.
 */
const SESSION_WALL_CLOCK =
  "(now() AT TIME ZONE coalesce(nullif(current_setting('licbridge.session_zone', true), ''), current_setting('TimeZone')))";

/** A column the catalog cannot tell leads an index or not. */
const col = (name: string, type: string) => column(name, type, { leadsIndex: null });

const db = knexModule({ client: 'pg' });
const stream: ResolvedStream & { cursor: ColumnMeta } = {
  table: 't',
  columns: [col('id', 'integer'), col('t', 'timestamp without time zone')],
  // A primary key: NOT NULL, so no query needs to leave NULL keys out.
  key: { ...col('id', 'integer'), nullable: false, primaryKey: true },
  cursor: col('t', 'timestamp without time zone'),
};
const CURSOR_TEXT = 'CAST("t" AS text) AS "__lb_cursor_text"';

describe('PostgreSQL keyset paging SQL', () => {
  it('holds back rows inside a positive lag window and pages strictly after the checkpoint', () => {
    const q = cursorPage(
      db,
      postgresDialect,
      { ...stream, lagMs: 500 },
      { cursor: '2024-01-01 00:00:00', key: '5' },
      10,
    );
    expect(q.toSQL().toNative()).toEqual({
      sql: `select "t".*, ${CURSOR_TEXT} from "t" where "t" is not null and "t" <= ${SESSION_WALL_CLOCK} - ($1 * interval '1 millisecond') and ("t", "id") > ($2, $3) order by "t" asc, "id" asc limit $4`,
      bindings: [500, '2024-01-01 00:00:00', '5', 10],
    });
  });

  it.each([0, -1, undefined])('has no lag window for lagMs %s, only the database clock', (lagMs) => {
    // A date/time cursor is bounded by the clock itself (keyset.ts readBound): a row dated ahead of
    // it would put the checkpoint past every change made before that time.
    const q = cursorPage(db, postgresDialect, { ...stream, lagMs }, null, 10);
    expect(q.toSQL().toNative()).toEqual({
      sql: `select "t".*, ${CURSOR_TEXT} from "t" where "t" is not null and "t" <= ${SESSION_WALL_CLOCK} - ($1 * interval '1 millisecond') order by "t" asc, "id" asc limit $2`,
      bindings: [0, 10],
    });
  });

  it('pages a key-only stream by key, and lists keys alone', () => {
    const keyOnly = { ...stream, cursor: undefined };
    expect(keyOnlyPage(db, postgresDialect, keyOnly, '7', 10).toSQL().toNative()).toEqual({
      sql: 'select * from "t" where "id" > $1 order by "id" asc limit $2',
      bindings: ['7', 10],
    });
    expect(keyChunk(db, postgresDialect, keyOnly, null, 3).toSQL().toNative()).toEqual({
      sql: 'select "id" from "t" order by "id" asc limit $1',
      bindings: [3],
    });
  });

  it('leaves rows whose key is NULL out of every keyset query when the key column allows NULL', () => {
    const nullable = { ...stream, key: col('id', 'integer') };
    expect(cursorPage(db, postgresDialect, nullable, { cursor: 'c', key: '5' }, 10).toSQL().sql).toBe(
      `select "t".*, ${CURSOR_TEXT} from "t" where "t" is not null and "id" is not null and "t" <= ${SESSION_WALL_CLOCK} - (? * interval '1 millisecond') and ("t", "id") > (?, ?) order by "t" asc, "id" asc limit ?`,
    );
    expect(nullCursorPage(db, postgresDialect, nullable, '5', 10).toSQL().sql).toBe(
      `select "t".*, ${CURSOR_TEXT} from "t" where "t" is null and "id" is not null and "id" > ? order by "id" asc limit ?`,
    );
    const keyOnly = { ...nullable, cursor: undefined };
    expect(keyOnlyPage(db, postgresDialect, keyOnly, null, 10).toSQL().sql).toBe(
      'select * from "t" where "id" is not null order by "id" asc limit ?',
    );
    expect(keyChunk(db, postgresDialect, keyOnly, null, 3).toSQL().sql).toBe(
      'select "id" from "t" where "id" is not null order by "id" asc limit ?',
    );
  });
});
