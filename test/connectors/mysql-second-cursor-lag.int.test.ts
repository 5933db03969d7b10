/**
 * The lag window with a DATETIME or TIMESTAMP cursor of whole seconds (or milliseconds), the most
 * common last-change column of a legacy MySQL schema. The server keeps a time at the column's
 * precision (MariaDB cuts the fraction off, MySQL rounds it): `08:00:00` stands for a change made
 * as late as 08:00:00.999. The bound took such a value as lagMs old once its first instant was: a
 * row written at 08:00:00.9 and committed inside the window, after a read at 08:00:00 + lagMs took
 * that second's rows, lay behind the checkpoint with a lower key, passed over. It is now lagMs old
 * once the last instant it stands for is. Rows are placed against the server's clock in the very
 * statement that bounds them (NOW(6) is one value through a statement): no wait, no race.
 */
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { LAG_MS, serverKnex, takenByBound } from './lag-streams.js';
import { MARIADB } from './servers.js';

const db = serverKnex({ client: 'mysql2', connection: { ...MARIADB } });

/**
 * Which of two rows the bound lets a read take: `now`, whose cursor is the second (or millisecond)
 * that began lagMs ago — its last instant not lagMs old yet — and `before`, one unit earlier.
 */
async function taken(type: string, unitMicros: number): Promise<string[]> {
  const format = unitMicros === 1_000_000 ? '%Y-%m-%d %H:%i:%s' : '%Y-%m-%d %H:%i:%s.%f';
  // The value NOW(6) - lagMs holds at the column's precision, cut off as MariaDB keeps it.
  const at = `CAST(LEFT(DATE_FORMAT(NOW(6) - INTERVAL ${LAG_MS * 1000} MICROSECOND, '${format}'), ${unitMicros === 1_000_000 ? 19 : 23}) AS DATETIME(6))`;
  return takenByBound(db(), mysqlDialect, type, at, `${at} - INTERVAL ${unitMicros} MICROSECOND`);
}

describe('a DATETIME or TIMESTAMP cursor of whole seconds under the lag window', () => {
  it.each([
    ['datetime', 1_000_000],
    ['timestamp', 1_000_000],
    ['datetime(3)', 1_000],
  ])('%s: the unit that began lagMs ago waits, the one before it is read', async (type, unit) => {
    expect(await taken(type, unit)).toEqual(['before']);
  });

  it('timestamp(3): the millisecond that began lagMs ago waits', async () => {
    // Its bound is the instant now to the second below it (timestamp-cursor.ts): the millisecond
    // before may wait too, as the clock's fraction of a second falls.
    expect(await taken('timestamp(3)', 1_000)).not.toContain('now');
  });

  it('datetime(6): a microsecond stands for itself, and lagMs ago is read', async () => {
    expect(await taken('datetime(6)', 1)).toEqual(['before', 'now']);
  });
});
