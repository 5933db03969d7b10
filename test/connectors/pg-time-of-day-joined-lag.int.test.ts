/**
 * A PostgreSQL table that keeps the day of a change in one column and its time in a `time(p)` of
 * fewer than six digits (`rq date`, `sj time(0)`), read as its time-of-day refusal says: a query
 * stream selecting the two as one date-and-time (time-of-day-cursor.ts). PostgreSQL rounds the
 * time to p digits as it stores it, so `08:00:00` stands for a change made as late as 08:00:00.5;
 * but `rq + sj` is a `timestamp` of six digits, which the lag bound took as lagMs old once its own
 * instant was (postgres/dialect.ts `lagBound`): a row written at 08:00:00.4 and committed inside
 * the window, after a read took that second's rows, lay behind the checkpoint with a lower key.
 * The expression the refusal shows now keeps the time's precision, so the bound lies one unit back.
 *
 * Real rows of a real table, placed against the server's clock and read by the bound in the same
 * transaction (LOCALTIMESTAMP and now() are one value through it): no wait, no race.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { pgQueryColumnTypes } from '../../connectors/sql/dialects/postgres/query-columns.js';
import { readBound } from '../../connectors/sql/keyset.js';
import { timeOfDayCursorProblem } from '../../connectors/sql/time-of-day-cursor.js';
import { column, LAG_MS, serverKnex } from './lag-streams.js';
import { createPgDatabase, type FreshPg, PG } from './servers.js';

let fresh: FreshPg;
beforeAll(async () => {
  fresh = await createPgDatabase();
});
afterAll(async () => {
  await fresh?.drop();
});
const db = serverKnex({ client: 'pg', connection: () => ({ ...PG, database: fresh.database }) });

/** The date-and-time the refusal of a cursor `sj` of `type` tells to select, as its query stream's. */
function joinedQuery(type: string, table: string): string {
  const message = timeOfDayCursorProblem('legacy', 'postgres', table, column('sj', type))?.message ?? '';
  const joined = /e\.g\. `(.+) AS sj` where `rq` is the date/.exec(message)?.[1];
  if (joined === undefined) throw new Error(`no date-and-time shown in: ${message}`);
  return `SELECT id, ${joined} AS sj FROM ${table}`;
}

/**
 * Which of two rows of a table (`rq date`, `sj` of `type`) a read of the refusal's query stream
 * under LAG_MS takes: `now`, written at the start of the unit of the time's precision that began
 * lagMs ago (a change made as late as half a unit after it holds that value), and `before`, one
 * unit earlier.
 */
async function taken(type: string, unit: 'second' | 'milliseconds' | 'microseconds'): Promise<string[]> {
  const table = `t_${unit}`;
  const trx = await db().transaction();
  try {
    await trx.raw(`CREATE TABLE ${table} (id text PRIMARY KEY, rq date NOT NULL, sj ${type} NOT NULL)`);
    // A time with a zone is cast from the instant, as its date-and-time is bounded by (now()).
    const clock = /with time zone/.test(type) ? 'now()' : 'LOCALTIMESTAMP';
    const at = `date_trunc('${unit}', ${clock} - interval '${LAG_MS} milliseconds')`;
    await trx.raw(
      `INSERT INTO ${table} SELECT id, CAST(w AS date), CAST(w AS ${type})
         FROM (VALUES ('now', ${at}), ('before', ${at} - interval '1 ${unit}')) AS v (id, w)`,
    );
    const query = joinedQuery(type, table);
    const types = await pgQueryColumnTypes({ sql: query, params: [] }, async (read) => read(trx));
    const bound = readBound(trx, postgresDialect, {
      cursor: column('sj', ''),
      lagMs: LAG_MS,
      query: { sql: query, params: [] },
      queryCursorType: types.get('sj') ?? '',
    });
    if (!bound) throw new Error('a date-and-time query cursor under a lag window is bounded');
    const rows = (await trx
      .select('id')
      .from(trx.raw(`(${query}) AS q`))
      .where(bound)) as { id: string }[];
    return rows.map((r) => r.id).sort();
  } finally {
    await trx.rollback();
  }
}

describe('a PostgreSQL date and time(p) read as one date-and-time under the lag window', () => {
  it.each([
    ['time(0) without time zone', 'second'],
    ['time(3) without time zone', 'milliseconds'],
    ['time(0) with time zone', 'second'],
  ] as const)('%s: the unit that began lagMs ago waits, the one before it is read', async (type, unit) => {
    expect(await taken(type, unit)).toEqual(['before']);
  });

  it('time without time zone (six digits): lagMs ago is read', async () => {
    expect(await taken('time without time zone', 'microseconds')).toEqual(['before', 'now']);
  });
});
