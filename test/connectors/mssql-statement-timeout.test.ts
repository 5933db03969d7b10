/**
 * A SQL Server statement that outlives `statementTimeoutMs` (tedious' `requestTimeout`) is a
 * statement timeout: tedious cancels it and fails the request with a RequestError coded
 * `ETIMEOUT` — the code its ConnectionError carries when the server cannot be reached in
 * `connectTimeoutMs`. Read as a lost connection, the page's statement was sent twice more on a fresh
 * connection straight away, each running to the timeout on the department's server, and the run
 * said it could not reach the database. A connect that times out is still unreachable.
 *
 * No SQL Server runs here: a stand-in connection answers knex's mssql client (mssql-stand-in.ts)
 * and fails the page's statement with the error tedious makes when its request timer fires.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { catalogRow, readStandInPages } from './mssql-stand-in.js';

const require = createRequire(import.meta.url);
const { ConnectionError, RequestError } = require('tedious') as {
  ConnectionError: new (message: string, code: string) => Error;
  RequestError: new (message: string, code: string) => Error;
};

/** What tedious' Connection.requestTimeout sets as the request's error. */
const requestTimedOut = () => new RequestError('Timeout: Request failed to complete in 30000ms', 'ETIMEOUT');

describe('mssql statement timeout', () => {
  it('fails the read once, as a statement timeout, without sending the statement again', async () => {
    const sent: string[] = [];
    const read = readStandInPages(
      { table: 'dbo.T_XKZ', key: 'ID' },
      (sql) => {
        if (/sys\.columns/.test(sql)) return [catalogRow('ID', 'int', 1), catalogRow('XM', 'nvarchar(50)')];
        if (/T_XKZ/.test(sql)) throw requestTimedOut();
        return [];
      },
      sent,
    );
    const error: unknown = await read.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.code).toBe(ErrorCodes.SOURCE_QUERY);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^source market-food: stream `dbo.T_XKZ`: statement timeout: /);
    expect(sent.filter((sql) => /from \[dbo\]\.\[T_XKZ\]/i.test(sql))).toHaveLength(1);
  });

  it('keeps a connect that timed out as unreachable', () => {
    const error = mssqlDialect.classifyError(
      new ConnectionError('Failed to connect to db.example:1433 in 15000ms', 'ETIMEOUT'),
      'market-food',
      'ro',
    );
    expect(error.code).toBe(ErrorCodes.SOURCE_UNREACHABLE);
    expect(error.retryable).toBe(true);
  });
});
