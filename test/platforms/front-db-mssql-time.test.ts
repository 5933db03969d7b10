/**
 * A SQL Server front database: tedious writes a JavaScript time as UTC unless told otherwise, so a
 * `datetime` EXCHANGE_TIME would hold 8 hours off a Beijing clock where every other driver writes
 * this machine's wall clock. No SQL Server runs in the tests: the settings knex hands tedious show it.
 */
import knexModule from 'knex';
import { describe, expect, it } from 'vitest';
import { driverConnection } from '../../adapters/platforms/front-db/front-db-driver.js';

/** The options knex's SQL Server client gives tedious for `connection`. */
function tediousOptions(connection: Record<string, unknown>): Record<string, unknown> {
  const k = knexModule({ client: 'mssql', connection });
  const client = k.client as unknown as { _generateConnection(): { options: Record<string, unknown> } };
  return client._generateConnection().options;
}

describe('front-db on SQL Server: the time written', () => {
  it('has tedious write times in local time, TLS settings kept', () => {
    const connection = driverConnection('city', 'mssql', {
      host: 'db.example',
      user: 'lb',
      database: 'qzk',
      encrypt: true,
    });
    const options = tediousOptions(connection);
    expect(options.useUTC).toBe(false);
    expect(options.encrypt).toBe(true);
  });

  it('keeps a useUTC the config sets', () => {
    const connection = driverConnection('city', 'mssql', { host: 'db.example', options: { useUTC: true } });
    expect(tediousOptions(connection).useUTC).toBe(true);
  });

  it('leaves other drivers as they were', () => {
    expect(driverConnection('city', 'postgres', { host: 'db.example' })).toEqual({ host: 'db.example' });
  });
});
