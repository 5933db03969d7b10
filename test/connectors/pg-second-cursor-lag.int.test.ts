/**
 * The lag window with a PostgreSQL `timestamp(0)` cursor (or of fewer than six fractional
 * digits). PostgreSQL rounds a time to the column's precision as it stores it: `08:00:00` stands
 * for a change made as late as 08:00:00.5. The bound took such a value as lagMs old once its own
 * instant was: a row written at 08:00:00.4 and committed inside the window, after a read took that
 * second's rows, lay behind the checkpoint with a lower key, passed over. The bound now lies one
 * unit of the precision further back. Rows are placed against the server's clock in the very
 * statement that bounds them (LOCALTIMESTAMP and now() are one value through a transaction).
 */
import { describe, expect, it } from 'vitest';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { LAG_MS, serverKnex, takenByBound } from './lag-streams.js';
import { PG } from './servers.js';

const db = serverKnex({ client: 'pg', connection: { ...PG } });

/**
 * Which of two rows the bound lets a read take: `now`, whose cursor is the unit of the column's
 * precision that began lagMs ago, and `before`, one unit earlier.
 */
async function taken(type: string, unit: 'second' | 'milliseconds' | 'microseconds'): Promise<string[]> {
  const clock = /with time zone/.test(type) ? 'now()' : 'LOCALTIMESTAMP';
  const at = `date_trunc('${unit}', ${clock} - interval '${LAG_MS} milliseconds')`;
  return takenByBound(db(), postgresDialect, type, at, `${at} - interval '1 ${unit}'`);
}

describe('a PostgreSQL timestamp cursor of fewer than six digits under the lag window', () => {
  it.each([
    ['timestamp(0) without time zone', 'second'],
    ['timestamp(0) with time zone', 'second'],
    ['timestamp(3) without time zone', 'milliseconds'],
  ] as const)('%s: the unit that began lagMs ago waits, the one before it is read', async (type, unit) => {
    expect(await taken(type, unit)).toEqual(['before']);
  });

  it('timestamp without time zone (six digits): lagMs ago is read', async () => {
    expect(await taken('timestamp without time zone', 'microseconds')).toEqual(['before', 'now']);
  });
});
