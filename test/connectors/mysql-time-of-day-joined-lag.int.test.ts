/**
 * A MariaDB table that keeps the day of a change in one column and its time in a `TIME(p)` of
 * fewer than six digits, read as its time-of-day refusal says: a query stream selecting
 * `TIMESTAMP(rq, sj)` (time-of-day-cursor.ts). MariaDB cuts a time to p digits as it stores it
 * (MySQL rounds it): `08:00:00` stands for a change made as late as 08:00:00.999. The server
 * describes `TIMESTAMP(rq, sj)` with the time's digits (`datetime` for a TIME(0)), so the lag
 * bound lies one unit back, as for a DATETIME(p) column (mysql-second-cursor-lag.int.test.ts).
 *
 * Real rows of a real table, placed against the server's clock and read by the bound on one
 * connection whose clock is held still (`SET timestamp`): no wait, no race.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { mysqlQueryColumnTypes } from '../../connectors/sql/dialects/mysql/query-columns.js';
import { readBound } from '../../connectors/sql/keyset.js';
import { timeOfDayCursorProblem } from '../../connectors/sql/time-of-day-cursor.js';
import { column, LAG_MS, serverKnex } from './lag-streams.js';
import { createMariadbDatabase, type FreshMariadb, MARIADB } from './servers.js';

let fresh: FreshMariadb;
beforeAll(async () => {
  fresh = await createMariadbDatabase();
});
afterAll(async () => {
  await fresh?.drop();
});
const db = serverKnex({ client: 'mysql2', connection: () => ({ ...MARIADB, database: fresh.database }) });

/** The date-and-time the refusal of a cursor `sj` of `type` tells to select, as its query stream's. */
function joinedQuery(type: string, table: string): string {
  const message = timeOfDayCursorProblem('legacy', 'mysql', table, column('sj', type))?.message ?? '';
  const joined = /e\.g\. `(.+) AS sj` where `rq` is the date/.exec(message)?.[1];
  if (joined === undefined) throw new Error(`no date-and-time shown in: ${message}`);
  return `SELECT id, ${joined} AS sj FROM ${table}`;
}

/**
 * Which of two rows of a table (`rq DATE`, `sj` of `type`) a read of the refusal's query stream
 * under LAG_MS takes: `now`, written at the start of the unit of `digits` fractional digits that
 * began lagMs ago, and `before`, one unit earlier.
 */
async function taken(type: string, digits: number): Promise<string[]> {
  const table = `t_${digits}`;
  const unit = 10 ** (6 - digits);
  const k = db();
  await k.raw(`CREATE TABLE ${table} (id VARCHAR(8) PRIMARY KEY, rq DATE NOT NULL, sj ${type} NOT NULL)`);
  // One connection (serverKnex): its clock stays where it is set until the test ends.
  await k.raw('SET timestamp = UNIX_TIMESTAMP(NOW(6))');
  try {
    const at = `CAST(NOW(6) - INTERVAL ${LAG_MS * 1000} MICROSECOND AS DATETIME(${digits}))`;
    await k.raw(
      `INSERT INTO ${table} SELECT id, CAST(w AS DATE), CAST(w AS TIME(${digits}))
         FROM (SELECT 'now' AS id, ${at} AS w UNION ALL SELECT 'before', ${at} - INTERVAL ${unit} MICROSECOND) AS v`,
    );
    const query = joinedQuery(type, table);
    const types = await mysqlQueryColumnTypes({ sql: query, params: [] }, async (read) => read(k));
    const bound = readBound(k, mysqlDialect, {
      cursor: column('sj', ''),
      lagMs: LAG_MS,
      query: { sql: query, params: [] },
      queryCursorType: types.get('sj') ?? '',
    });
    if (!bound) throw new Error('a date-and-time query cursor under a lag window is bounded');
    const rows = (await k
      .select('id')
      .from(k.raw(`(${query}) AS q`))
      .where(bound)) as { id: string }[];
    return rows.map((r) => r.id).sort();
  } finally {
    await k.raw('SET timestamp = DEFAULT');
  }
}

describe('a MariaDB date and TIME(p) read as one date-and-time under the lag window', () => {
  it.each([
    ['TIME', 0],
    ['TIME(3)', 3],
  ])('%s: the unit that began lagMs ago waits, the one before it is read', async (type, digits) => {
    expect(await taken(type, digits)).toEqual(['before']);
  });

  it('TIME(6): a microsecond stands for itself, and lagMs ago is read', async () => {
    expect(await taken('TIME(6)', 6)).toEqual(['before', 'now']);
  });
});
