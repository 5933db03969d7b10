/**
 * SQL Server date/time keys: tedious hands date, datetime, datetime2, smalldatetime,
 * datetimeoffset and time over as Dates, which have no checkpoint text that reads back as the
 * stored value (datetime2 holds 100 ns, a Date 1 ms). Such a stream is refused before any row is
 * read, naming the source, stream, column and type; a `timestamp` key, which is rowversion bytes,
 * is not a date and is read.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../core/errors.js';
import { catalogRow, readStandInPages } from './mssql-stand-in.js';

/** dbo.T_XKZ keyed by DJSJ of catalog type `type`, holding no rows; the statements sent in `sent`. */
const table = (type: string) => (sql: string) =>
  /sys\.columns/.test(sql) ? [catalogRow('DJSJ', type, 1), catalogRow('MC', 'varchar(20)')] : [];

describe('mssql: a date/time key', () => {
  for (const type of ['date', 'datetime', 'datetime2(7)', 'smalldatetime', 'datetimeoffset(7)', 'time(7)']) {
    it(`is refused before a row is read (${type})`, async () => {
      const sent: string[] = [];
      const read = readStandInPages({ table: 'dbo.T_XKZ', key: 'DJSJ' }, table(type), sent);
      await expect(read).rejects.toMatchObject({
        code: ErrorCodes.SOURCE_SCHEMA,
        message: expect.stringMatching(
          /^source market-food: key column `DJSJ` of stream `dbo\.T_XKZ` is `[^`]+`: .*CONVERT\(varchar\(40\), DJSJ, 121\) AS DJSJ/,
        ),
      });
      expect((await read.catch((e: Error) => e.message)) as string).toContain(`\`${type}\``);
      expect(sent.filter((s) => /from \[dbo\]\.\[T_XKZ\]/i.test(s))).toEqual([]);
    });
  }

  it('is read where it is rowversion (`timestamp`)', async () => {
    await expect(readStandInPages({ table: 'dbo.T_XKZ', key: 'DJSJ' }, table('timestamp'))).resolves.toEqual(
      [],
    );
  });
});
