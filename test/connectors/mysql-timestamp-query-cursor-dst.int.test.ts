/**
 * A query stream (a stream given as SQL) whose cursor is a MariaDB `TIMESTAMP`, read in a session
 * zone that keeps summer time. A table stream's TIMESTAMP cursor is compared by the instant it
 * holds (mysql/timestamp-cursor.ts); a query stream's was compared as the session prints it, in
 * which the hour the clocks go back comes twice: rows at 02:30 and 02:45 summer time, then 02:10
 * and 02:30 winter time (later instants) sort in that order, a page ending at 02:45 summer time
 * resumed with `GXSJ > '02:45'`, and the rows of 02:10 and 02:30 winter time were never read. The
 * query's cursor now takes the type the database gives its column, and is compared as a table
 * stream's is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeResumePoint } from '../../connectors/key-position.js';
import { openSource } from '../../connectors/open-source.js';
import { createLogger } from '../../core/logger.js';
import { keysOf, readAll } from './conformance.js';
import { createDstZone, type DstZone } from './mysql-dst-zone.js';
import { mysqlSourceOf, startSessionsWith } from './mysql-session-start.js';
import { createMariadbDatabase, type FreshMariadb } from './servers.js';

const quiet = createLogger({ level: 'silent' });

// Keys in the order of the instants they hold (UTC); the zone prints K4 before K1.
const ROWS: [key: string, utc: string][] = [
  ['K0', '2024-10-26 12:00:00'],
  ['K3', '2024-10-27 00:30:00'],
  ['K1', '2024-10-27 00:45:00'],
  ['K4', '2024-10-27 01:10:00'],
  ['K2', '2024-10-27 01:30:00'],
  ['K5', '2024-10-27 03:00:00.5'],
];
const IN_ORDER = ROWS.map(([key]) => key);

let fresh: FreshMariadb;
let zone: DstZone | undefined;
let restore: (() => void) | undefined;

beforeAll(async () => {
  fresh = await createMariadbDatabase();
  zone = await createDstZone(fresh.conn);
  await fresh.conn.query(
    'CREATE TABLE T_TS (BH VARCHAR(10) NOT NULL PRIMARY KEY, GXSJ TIMESTAMP(6) NOT NULL)',
  );
  await fresh.conn.query("SET time_zone = '+00:00'");
  for (const [key, utc] of ROWS) await fresh.conn.query('INSERT INTO T_TS VALUES (?, ?)', [key, utc]);
  // The source's sessions start in the zone, as on a server whose time_zone it is.
  restore = startSessionsWith(`SET time_zone = '${zone.name}'`);
});
afterAll(async () => {
  restore?.();
  await zone?.drop();
  await fresh?.drop();
});

const stream = {
  table: 'ts',
  query: 'SELECT BH, GXSJ FROM T_TS',
  key: 'BH',
  keyUnique: true,
  cursor: 'GXSJ',
};

describe('mysql: a query stream with a TIMESTAMP cursor in a session zone with summer time', () => {
  for (const [pageSize, lagMs] of [
    [1, 0],
    [2, 0],
    [3, 0],
    [2, 5000],
  ] as const) {
    it(`reads every row once, in the order of their instants, in pages of ${pageSize}${lagMs ? ` with lagMs ${lagMs}` : ''}`, async () => {
      const connector = await openSource('dst', { ...mysqlSourceOf(fresh, 'all'), lagMs }, { logger: quiet });
      try {
        expect(keysOf(await readAll(connector, stream, pageSize))).toEqual(IN_ORDER);
      } finally {
        await connector.close();
      }
    });
  }

  it('resumes from a checkpoint an earlier release wrote, its wall clock in the session zone', async () => {
    const connector = await openSource('dst', mysqlSourceOf(fresh, 'all'), { logger: quiet });
    try {
      // K3's wall clock, 02:30 summer time: read as the session reads it, as before.
      const after = encodeResumePoint({ cursor: '2024-10-27 02:30:00.000000', key: 'K3' });
      expect(keysOf(await readAll(connector, stream, 2, after))).toEqual(['K1', 'K4', 'K2', 'K5']);
    } finally {
      await connector.close();
    }
  });
});
