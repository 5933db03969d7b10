/**
 * A lost connection is told by the driver's code; the words of a message (`Connection terminated`,
 * `connection … closed`) only where the driver gives none (node-postgres' own terminations, knex's
 * pool, mysql2's command on a closed connection). A server's error always carries a code, and its
 * message may quote a value or a name that reads `connection lost`: taken for a lost connection,
 * a query failing for good was retried on a fresh connection and by the worker as though the
 * database were away, and said `cannot reach the database`.
 */
import { createRequire } from 'node:module';
import { DatabaseError } from 'pg';
import tedious from 'tedious';
import { describe, expect, it } from 'vitest';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { mysqlDialect } from '../../connectors/sql/dialects/mysql/dialect.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { ErrorCodes } from '../../core/errors.js';

// mssql ships no types.
const mssql = createRequire(import.meta.url)('mssql') as {
  RequestError: new (original: Error, code: string) => Error;
};

function pgError(message: string, code: string): DatabaseError {
  const e = new DatabaseError(message, message.length, 'error');
  e.code = code;
  return e;
}

describe('a lost connection told by its code, not by words a server error may quote', () => {
  it('a PostgreSQL error quoting a value that reads "connection lost" is a failed query', () => {
    const e = pgError('invalid input syntax for type timestamp: "connection lost"', '22007');
    const mapped = postgresDialect.classifyError(e, 'legacy');
    expect(mapped.code).toBe(ErrorCodes.SOURCE_QUERY);
    expect(mapped.retryable).toBe(false);
    expect(mapped.message).toMatch(/^source legacy: query failed: /);
  });

  it('a MariaDB error naming a table that reads "connection … closed" is a failed query', () => {
    const e = Object.assign(
      new Error("SELECT command denied to user 'lb'@'localhost' for table `connection_closed_log`"),
      { code: 'ER_TABLEACCESS_DENIED_ERROR', errno: 1142, sqlState: '42000' },
    );
    const mapped = mysqlDialect.classifyError(e, 'legacy');
    expect(mapped.code).toBe(ErrorCodes.SOURCE_QUERY);
    expect(mapped.retryable).toBe(false);
  });

  it("node-postgres' termination, which has no code, is still a lost connection", () => {
    const mapped = postgresDialect.classifyError(new Error('Connection terminated unexpectedly'), 'legacy');
    expect(mapped.code).toBe(ErrorCodes.SOURCE_UNREACHABLE);
    expect(mapped.retryable).toBe(true);
  });

  it("mysql2's command on a closed connection, which has no code, is still a lost connection", () => {
    const e = Object.assign(new Error("Can't add new command when connection is in closed state"), {
      fatal: true,
    });
    expect(mysqlDialect.classifyError(e, 'legacy').code).toBe(ErrorCodes.SOURCE_UNREACHABLE);
  });

  it("SQL Server: tedious' request on a closed connection (ECLOSE) is a lost connection by its code", () => {
    const inner = new tedious.RequestError('Connection closed before request completed.', 'ECLOSE');
    const e = new mssql.RequestError(inner as unknown as Error, 'EREQUEST');
    const mapped = mssqlDialect.classifyError(e, 'legacy');
    expect(mapped.code).toBe(ErrorCodes.SOURCE_UNREACHABLE);
    expect(mapped.retryable).toBe(true);
  });
});
