/**
 * The lag window of a PostgreSQL stream whose cursor is `timestamp with time zone`. The bound was
 * `LOCALTIMESTAMP - lagMs`, the session zone's wall clock, which PostgreSQL converts back to an
 * instant in that zone to compare it with the column. Where the zone keeps summer time, the wall
 * clock of the hour before the clocks go back names two instants, and PostgreSQL takes the later
 * (standard time): for that hour the bound lay an hour ahead of now, as it did for `lagMs` after
 * the clocks went forward (a time that does not exist, read as standard time). A row committing
 * during a read passed it, and the boundary race the window guards against could skip it for good.
 * `now()` is the same instant as the column's. A zone-less cursor keeps LOCALTIMESTAMP, the wall
 * clock its values are written in.
 *
 * The database's TimeZone is a POSIX zone, made from the server's clock, whose summer time ends
 * half an hour from now: its last hour, the one named twice, is now, whenever the test runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { keysOf, readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });
const LAG_MS = 60_000;

/**
 * A zone at UTC+0, UTC+1 in summer, whose summer time ends 30 minutes after `now`: day numbers
 * are zero-based from 1 January (leap days counted), the end's time of day may pass 24:00.
 */
function summerEndingSoon(now: Date): string {
  const summer = new Date(now.getTime() + 3_600_000);
  const yearStart = Date.UTC(summer.getUTCFullYear(), 0, 1);
  const day = Math.floor((summer.getTime() - yearStart) / 86_400_000);
  const seconds = Math.floor((summer.getTime() - yearStart) / 1000) - day * 86_400 + 1800;
  const two = (n: number) => String(n).padStart(2, '0');
  const at = `${Math.floor(seconds / 3600)}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
  return `XST0XDT-1,0/0,${day}/${at}`;
}

describe('PostgreSQL lag window in the hour a session zone names twice', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    const { rows } = await fresh.client.query<{ now: Date }>('SELECT now() AS now');
    const zone = summerEndingSoon((rows[0] as { now: Date }).now);
    await fresh.client.query(`ALTER DATABASE ${fresh.database} SET timezone = '${zone}'`);
    await fresh.client.query(`SET timezone = '${zone}'`);
    // The zone's wall clock an hour ahead of now: the hour is named twice.
    const check = await fresh.client.query<{ ahead: boolean }>(
      "SELECT CAST(LOCALTIMESTAMP - interval '60 seconds' AS timestamptz) > now() AS ahead",
    );
    expect(check.rows[0]?.ahead).toBe(true);
    await fresh.client.query(
      `CREATE TABLE t_zoned (id int PRIMARY KEY, gxsj timestamptz NOT NULL, gxsj_local timestamp NOT NULL)`,
    );
    // 1 and 2 are old enough; 5 and 6 were written 10 s ago, inside the 60 s window.
    await fresh.client.query(
      `INSERT INTO t_zoned VALUES
         (1, now() - interval '1 day', LOCALTIMESTAMP - interval '1 day'),
         (2, now() - interval '2 hours', LOCALTIMESTAMP - interval '2 hours'),
         (5, now() - interval '10 seconds', LOCALTIMESTAMP - interval '10 seconds'),
         (6, now() - interval '10 seconds', LOCALTIMESTAMP - interval '10 seconds')`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('holds back the rows of a timestamptz cursor written within lagMs', async () => {
    const stream = { table: 't_zoned', key: 'id', cursor: 'gxsj', lagMs: LAG_MS };
    expect(keysOf(await readAll(source, stream, 1))).toEqual(['1', '2']);
    expect(keysOf(await readAll(source, stream, 10))).toEqual(['1', '2']);
  });

  it('holds back the rows of a timestamp cursor written within lagMs, as before', async () => {
    const stream = { table: 't_zoned', key: 'id', cursor: 'gxsj_local', lagMs: LAG_MS };
    expect(keysOf(await readAll(source, stream, 10))).toEqual(['1', '2']);
  });
});
