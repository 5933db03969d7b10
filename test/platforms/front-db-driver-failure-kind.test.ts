/**
 * The kind of a front database's driver failure, as the deliver stage audits the attempt, for the
 * drivers with no server here (SQL Server, Oracle, DM): their errors as the drivers make them. The
 * servers at hand (PostgreSQL, MariaDB) are in front-db-driver-failure-kind.int.test.ts.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { frontDbError } from '../../adapters/platforms/front-db/front-db-errors.js';
import { errorFailureKind } from '../../adapters/platforms/shared/failure-kind.js';
import { thrownAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { DmDriverError } from './dm-driver-error.js';
import { frontDbConfig } from './front-db-fixtures.js';

const require = createRequire(import.meta.url);
const tedious = require('tedious') as { ConnectionError: new (message: string, code: string) => Error };
const mssql = require('mssql') as { ConnectionError: new (original: Error) => Error };
const oracleErrors = require('oracledb/lib/errors.js') as {
  getErr(num: number, ...args: unknown[]): Error;
  ERR_CONNECTION_INCOMPLETE: number;
  ERR_CONNECTION_CLOSED: number;
  ERR_CONNECTION_TIMEDOUT: number;
};

const config = frontDbConfig('mssql', { connection: { host: '127.0.0.1' } }, 'UP_LIC_DATA', {
  timeoutMs: 5_000,
});

/** An error with a driver's fields (`fields`), as node-oracledb makes a server's ORA- error. */
const withFields = (fields: Record<string, unknown>): Error =>
  Object.assign(new Error('driver text'), fields);

const oracle = (num: number, ...args: unknown[]) => oracleErrors.getErr(num, ...args);

describe('front-db: the kind of a driver failure, by its codes', () => {
  it.each([
    [
      'SQL Server, a login refused (tedious ELOGIN)',
      new tedious.ConnectionError('Login failed', 'ELOGIN'),
      'auth',
    ],
    [
      'SQL Server, a login refused as mssql wraps it',
      new mssql.ConnectionError(new tedious.ConnectionError('Login failed', 'ELOGIN')),
      'auth',
    ],
    [
      'SQL Server, the connection failed (ESOCKET)',
      new tedious.ConnectionError('socket', 'ESOCKET'),
      'unreachable',
    ],
    [
      'SQL Server, the connect timeout (ETIMEOUT)',
      new tedious.ConnectionError('timeout', 'ETIMEOUT'),
      'timeout',
    ],
    ['SQL Server, a lock not granted in time (1222)', withFields({ number: 1222 }), 'timeout'],
    [
      'Oracle, a wrong user or password (ORA-01017)',
      withFields({ code: 'ORA-01017', errorNum: 1017 }),
      'auth',
    ],
    ['Oracle, the account locked (ORA-28000)', withFields({ code: 'ORA-28000', errorNum: 28000 }), 'auth'],
    [
      'Oracle, a connection not established (NJS-503)',
      oracle(oracleErrors.ERR_CONNECTION_INCOMPLETE, 'db', 1521, 'id', ''),
      'unreachable',
    ],
    ['Oracle, a connection broken (NJS-500)', oracle(oracleErrors.ERR_CONNECTION_CLOSED), 'unreachable'],
    [
      'Oracle, the connect timeout (NJS-510)',
      oracle(oracleErrors.ERR_CONNECTION_TIMEDOUT, 'db', 1521, 'connect_timeout', 5, 'id'),
      'timeout',
    ],
    [
      'DM, a communication error (6001)',
      new DmDriverError(6001, 'error.communicationError', null),
      'unreachable',
    ],
    ['DM, the socket timeout (20010)', new DmDriverError(20010, 'error.socketTimeout', null), 'timeout'],
    ['MySQL, the connection lost', withFields({ code: 'PROTOCOL_CONNECTION_LOST' }), 'unreachable'],
    [
      'MySQL, a lock wait timeout (1205)',
      withFields({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }),
      'timeout',
    ],
    ['PostgreSQL, a wrong password (28P01)', withFields({ code: '28P01' }), 'auth'],
    ['PostgreSQL, the server shutting down (57P01)', withFields({ code: '57P01' }), 'unreachable'],
    [
      'a statement out of time (knex)',
      Object.assign(new Error('timeout'), { name: 'KnexTimeoutError' }),
      'timeout',
    ],
    // A code no list names, or a row refused for its values: `other`, not the table's name's words.
    ['a row refused for its values (ORA-12899)', withFields({ code: 'ORA-12899', errorNum: 12899 }), 'other'],
    ['DM, a server code no list names (-6407)', new DmDriverError(-6407, 'driver text', null), 'other'],
  ])('%s: %s', async (_name, cause, kind) => {
    const e = await frontDbError('city', config, cause, 'writing exchange table EXCH_TIMEOUT');
    expect(errorFailureKind(e)).toBe(kind);
    expect(thrownAttemptReason(e)).toBe(kind);
    expect(e.retryable).toBe(true);
    expect(e.message).not.toContain('driver text');
  });
});
