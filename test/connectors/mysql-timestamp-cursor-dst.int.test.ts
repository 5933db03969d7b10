/**
 * A MariaDB `TIMESTAMP` cursor read in a session zone that keeps summer time. A TIMESTAMP holds an
 * instant and pages order it so, but the server prints it, and compares it with a bound checkpoint,
 * in the session zone's wall clock, in which the hour the clocks go back comes twice. Here rows at
 * 02:30 and 02:45 summer time, then 02:10 and 02:30 winter time (00:30, 00:45, 01:10 and 01:30 UTC)
 * sort in that order; a page ending at 02:45 summer time resumed with `GXSJ > '02:45'`, and the rows
 * of 02:10 and 02:30 winter time, later instants, were never read.
 *
 * The zone: a connection of the source starts its session in a zone of the server's time zone
 * tables, as on a server whose `time_zone` is such a zone. This server has no zones loaded, so the
 * test writes one of its own into them (mysql-dst-zone.ts: offsets +02:00 summer, +01:00 winter,
 * the clocks going back at 2024-10-27 01:00 UTC) and removes it after.
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

let zone: DstZone | undefined;
let fresh: FreshMariadb;
let restore: (() => void) | undefined;

// Keys in the order of the instants they hold (UTC), with the wall clock the zone prints.
const ROWS: [key: string, utc: string, wallClock: string][] = [
  ['K0', '2024-10-26 12:00:00', '2024-10-26 14:00:00'],
  ['K3', '2024-10-27 00:30:00', '2024-10-27 02:30:00'],
  ['K1', '2024-10-27 00:45:00', '2024-10-27 02:45:00'],
  ['K4', '2024-10-27 01:10:00', '2024-10-27 02:10:00'],
  ['K2', '2024-10-27 01:30:00', '2024-10-27 02:30:00'],
  ['K5', '2024-10-27 03:00:00.5', '2024-10-27 04:00:00.5'],
  // The last instant a TIMESTAMP holds, a legacy "never", on two keys.
  ['K6', '2038-01-19 03:14:07', '2038-01-19 04:14:07'],
  ['K7', '2038-01-19 03:14:07', '2038-01-19 04:14:07'],
];
const IN_ORDER = ROWS.map(([key]) => key);
// The rows a read takes now: those of 2038 lie ahead of the database's clock.
const READ_NOW = IN_ORDER.filter((k) => k !== 'K6' && k !== 'K7');

beforeAll(async () => {
  fresh = await createMariadbDatabase();
  const c = fresh.conn;
  zone = await createDstZone(c);
  // A key that is not unique (its ties and other rows are read too); an index on (cursor, key).
  await c.query(
    'CREATE TABLE T_TS (BH VARCHAR(10) NOT NULL, GXSJ TIMESTAMP(6) NOT NULL, MC VARCHAR(10), KEY (BH), KEY (GXSJ, BH))',
  );
  await c.query("SET time_zone = '+00:00'");
  for (const [key, utc] of ROWS)
    await c.query('INSERT INTO T_TS VALUES (?, ?, ?)', [key, utc, key.toLowerCase()]);
  // The source's sessions start in the zone, as on a server whose time_zone it is.
  restore = startSessionsWith(`SET time_zone = '${zone.name}'`);
});
afterAll(async () => {
  restore?.();
  await zone?.drop();
  await fresh?.drop();
});

const config = (lagMs = 0) => ({ ...mysqlSourceOf(fresh, 'all'), lagMs });

const stream = { table: 'T_TS', key: 'BH', cursor: 'GXSJ' };

describe('mysql: a TIMESTAMP cursor in a session zone with summer time', () => {
  it('the session prints the repeated hour twice (the zone played)', async () => {
    const connector = await openSource('dst', config(), { logger: quiet });
    try {
      const pages = await readAll(
        connector,
        { ...stream, query: 'SELECT BH, GXSJ, MC, CAST(GXSJ AS CHAR) AS T FROM T_TS' },
        10,
      );
      const printed = new Map(pages.flatMap((p) => p.rows.map((r) => [r.key, String(r.values.T)] as const)));
      // A query stream's TIMESTAMP cursor is bounded by the clock too: the rows of 2038 wait.
      for (const [key, , wallClock] of ROWS.filter(([k]) => READ_NOW.includes(k)))
        expect(printed.get(key)?.startsWith(wallClock), key).toBe(true);
    } finally {
      await connector.close();
    }
  });

  for (const [pageSize, lagMs] of [
    [1, 0],
    [2, 0],
    [3, 0],
    [2, 5000],
  ] as const) {
    it(`reads every row once, in the order of their instants, in pages of ${pageSize}${lagMs ? ` with lagMs ${lagMs}` : ''}`, async () => {
      const connector = await openSource('dst', config(lagMs), { logger: quiet });
      try {
        const pages = await readAll(connector, stream, pageSize);
        // The rows of 2038 lie ahead of the database's clock, which bounds the read with or
        // without a lag window (keyset.ts readBound): they wait.
        expect(keysOf(pages)).toEqual(READ_NOW);
        // Values reach the mappings as the session prints them, as before.
        const values = new Map(pages.flatMap((p) => p.rows.map((r) => [r.key, r.values.GXSJ] as const)));
        expect((values.get('K4') as Date).toISOString()).toBe('2024-10-27T02:10:00.000Z');
        expect((values.get('K5') as Date).toISOString()).toBe('2024-10-27T04:00:00.500Z');
      } finally {
        await connector.close();
      }
    });
  }

  it('resumes from each checkpoint it wrote with the rows after it, and from a wall-clock checkpoint', async () => {
    const connector = await openSource('dst', config(), { logger: quiet });
    try {
      const pages = await readAll(connector, stream, 1);
      pages.forEach((page, i) => {
        // Each page's checkpoint names one row: a read resuming there reads the rows after it.
        expect(JSON.parse(page.checkpoint).cursor, `page ${i}`).toMatch(/^\d+\.\d{6}$/);
      });
      for (let i = 0; i < pages.length; i++) {
        const rest = await readAll(connector, stream, 2, pages[i]?.checkpoint ?? null);
        expect(keysOf(rest), `after page ${i}`).toEqual(READ_NOW.slice(i + 1));
      }
      // A checkpoint an earlier release wrote: the wall clock, read in the session's zone.
      const legacy = encodeResumePoint({ cursor: '2024-10-26 14:00:00.000000', key: 'K0' });
      expect(keysOf(await readAll(connector, stream, 2, legacy))).toEqual(READ_NOW.slice(1));
    } finally {
      await connector.close();
    }
  });
});
