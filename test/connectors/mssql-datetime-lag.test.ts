/**
 * The lag window of a SQL Server stream whose cursor is a DATETIME, the last-change column of most
 * legacy SQL Server schemas. SQL Server keeps a DATETIME in ticks of 1/300 s and rounds a time to
 * the nearest tick as it stores it (`.000`, `.003`, `.007`): a change written up to 1/600 s after a
 * tick holds that tick. The bound took a value as lagMs old once its own instant was: a row written
 * just after now - lagMs, committed inside the window after a read, could hold a tick at or below
 * the bound, and the read took that tick's rows and put the checkpoint past it, the row behind it
 * with a lower key for good. Below compatibility level 130 SQL Server compares a DATETIME with the
 * DATETIME2 bound as the milliseconds it prints (`.003` for 3.333 ms), a third of a millisecond
 * lower still; so the bound lies 2 ms further back (1/600 s rounded up to DATEADD's whole
 * milliseconds), not a whole tick.
 *
 * No SQL Server runs here: the bound is the millisecond knex's mssql client binds, and a stored
 * value is the tick SQL Server keeps, as tedious decodes the bytes SQL Server sends for it.
 */
import { createRequire } from 'node:module';
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { boundedReads, LAG_MS, mssqlLagStream } from './lag-streams.js';

const require = createRequire(import.meta.url);
const { readValue } = require('tedious/lib/value-parser') as {
  readValue(buf: Buffer, offset: number, metadata: unknown, options: unknown): { value: unknown };
};
const { TYPE } = require('tedious/lib/data-type') as { TYPE: Record<number, { name: string }> };

const db = knexModule({ client: 'mssql', connection: {} });

/** The milliseconds each of a page's and the keyless rows' bounds is moved from the server's clock. */
function millisecondsMoved(type: string): number[] {
  return boundedReads(db, mssqlDialect, mssqlLagStream(type)).map(({ sql, bindings }) => {
    const at = /\[GXSJ\] <= DATEADD\(millisecond, @p(\d+), SYSDATETIME\(\)\)/.exec(sql)?.[1];
    if (at === undefined) throw new Error(`no lag bound in ${sql}`);
    return bindings[Number(at)] as number;
  });
}

/** Midnight of the day the reads run on, as SQL Server counts days from 1900-01-01. */
const DAY = 45_000;
/** Reads at noon and at each 100 µs of the tick after it: the clock falls anywhere between ticks. */
const READS_US = Array.from({ length: 34 }, (_, i) => 12 * 3_600_000_000 + i * 100);

/** The tick SQL Server keeps for a time written `us` microseconds after midnight: the nearest. */
const storedTick = (us: number): number => Math.round((us * 3) / 10_000);

/** A DATETIME of `ticks` after midnight of DAY as tedious reads it from the bytes SQL Server sends. */
function tediousValue(ticks: number): Date {
  const bytes = Buffer.alloc(8);
  bytes.writeInt32LE(DAY, 0);
  bytes.writeInt32LE(ticks, 4);
  return readValue(bytes, 0, { colName: 'GXSJ', type: TYPE[0x3d] }, { useUTC: true }).value as Date;
}

/**
 * Rows written in the 3 ms after now - lagMs of a read, one each microsecond: they commit inside
 * the window, after the read (a transaction shorter than lagMs). The latest of them a read's bound
 * took anyway, in microseconds after now - lagMs (0: none), compared as SQL Server 2016 compares a
 * DATETIME with a DATETIME2 (`tick`: the tick exactly) and as earlier levels do (`printed`: the
 * milliseconds it prints, as tedious reads them).
 */
function latestTakenBeforeCommit(moved: number): { tick: number; printed: number } {
  const midnight = Date.UTC(1900, 0, 1 + DAY);
  const latest = { tick: 0, printed: 0 };
  for (const read of READS_US) {
    const boundUs = read + moved * 1000;
    for (let written = 1; written <= 3_000; written++) {
      const tick = storedTick(read - LAG_MS * 1000 + written);
      // In thirds of a microsecond, to hold the tick exactly.
      if (tick * 10_000 <= boundUs * 3) latest.tick = Math.max(latest.tick, written);
      if ((tediousValue(tick).getTime() - midnight) * 1000 <= boundUs)
        latest.printed = Math.max(latest.printed, written);
    }
  }
  return latest;
}

describe('mssql lag window against a DATETIME cursor (ticks of 1/300 s)', () => {
  it('bounds pages and keyless rows 2 ms back of now - lagMs', () => {
    expect(millisecondsMoved('datetime')).toEqual([-5002, -5002]);
  });

  it('takes no row written after now - lagMs, however its time was rounded', () => {
    const [moved] = millisecondsMoved('datetime');
    expect(latestTakenBeforeCommit(moved ?? 0)).toEqual({ tick: 0, printed: 0 });
  });

  it('a millisecond less would take one (the 2 ms are needed)', () => {
    const [moved] = millisecondsMoved('datetime');
    expect(latestTakenBeforeCommit((moved ?? 0) + 1).tick).toBeGreaterThan(0);
  });
});
