/**
 * The text the server makes of an instant in a PostgreSQL read: a `timestamptz` cast to text or to
 * a date in a query stream, `now()::text`, `to_char`. It is written in the session's TimeZone,
 * which was the database's or the server's default: on a server at America/New_York a license
 * issued 2024-03-01 07:00 in Beijing read `2024-02-29 18:00:00-05` and the day 2024-02-29 from the
 * query, where the mappings take the lone value's day in `lifecycle.timeZone`, 2024-03-01. Each
 * read sets the mappings' zone. A zone-less cursor's lag window stays on the session's own wall
 * clock, the one the legacy application writes it in (LOCALTIMESTAMP before).
 */
import { describe, expect, it } from 'vitest';
import type { SourceValue } from '../../connectors/source.js';
import { compileMappingText } from '../../mappings/compile.js';
import { keysOf, readAll } from './conformance.js';
import { freshPgSource } from './pg-fresh-source.js';

const SERVER_ZONE = 'America/New_York';

const mapping = compileMappingText(
  'fields:\n  surface.fzrq: { from: FZSJ, transform: [{ date: [yyyy-MM-dd] }] }\n',
  '/maps/read-session-zone.yaml',
);

describe('PostgreSQL read session zone', () => {
  const db = freshPgSource(
    async (fresh) => {
      await fresh.client.query(`ALTER DATABASE ${fresh.database} SET TimeZone = '${SERVER_ZONE}'`);
      await fresh.client.query('CREATE TABLE t_fz (id int PRIMARY KEY, fzsj timestamptz, gxsj timestamp)');
      // gxsj on the server zone's wall clock, as an application using its default zone writes it.
      await fresh.client.query(
        `INSERT INTO t_fz VALUES
           (1, '2024-03-01 07:00+08', (now() AT TIME ZONE '${SERVER_ZONE}') - interval '1 day'),
           (2, '2024-03-01 07:00+08', (now() AT TIME ZONE '${SERVER_ZONE}') - interval '10 seconds')`,
      );
    },
    { timeZone: 'Asia/Shanghai' },
  );

  async function first(stream: Parameters<typeof readAll>[1]): Promise<Record<string, SourceValue>> {
    const pages = await readAll(db.source, stream, 10);
    return pages[0]?.rows[0]?.values ?? {};
  }

  it("writes a query's instants as text in the mappings' zone, on the lone value's day", async () => {
    const row = await first({
      table: 'q_fz',
      key: 'id',
      query: `SELECT id, fzsj, CAST(fzsj AS text) AS fzsj_text, CAST(CAST(fzsj AS date) AS text) AS fzrq,
                to_char(fzsj, 'YYYY-MM-DD HH24:MI') AS fzsj_char, right(now()::text, 3) AS offset_now
                FROM t_fz WHERE id = 1`,
    });
    expect(row).toMatchObject({
      fzsj_text: '2024-03-01 07:00:00+08',
      fzrq: '2024-03-01',
      fzsj_char: '2024-03-01 07:00',
      offset_now: '+08',
    });
    const out = mapping.map({ FZSJ: row.fzsj ?? null }, { timeZone: 'Asia/Shanghai' });
    expect(out.ok && out.fields).toMatchObject({ surface: { fzrq: row.fzrq } });
  });

  it("bounds a zone-less cursor's lag window by the session's own wall clock, as before", async () => {
    const stream = { table: 't_fz', key: 'id', cursor: 'gxsj', lagMs: 60_000 };
    expect(keysOf(await readAll(db.source, stream, 10))).toEqual(['1']);
  });
});
