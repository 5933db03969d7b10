/**
 * A read transaction opened in one statement (issue 17). knex's mysql2 transaction opens a
 * READ ONLY one as `SET TRANSACTION READ ONLY` then `BEGIN` (knex/lib/execution/transaction.js),
 * two round trips before each page. `START TRANSACTION READ ONLY` (MySQL 5.6.5, MariaDB 10.0) is
 * the same transaction in one: read-only from its start, at the session's isolation level, which
 * each connection sets to REPEATABLE READ once (dialect.ts `setupSession`), and with its snapshot
 * taken, as after BEGIN, at its first read. Not both statements in one query: mysql2 sends several
 * only with `multipleStatements`, which lets an injected `;` run a statement of its own.
 */
import { createRequire } from 'node:module';
import type { KnexTransactionClass } from '../../read-transaction.js';

let cached: KnexTransactionClass | undefined;

/** knex's mysql2 transaction class, opening a read-only one with `START TRANSACTION READ ONLY`. */
export function mysqlReadTransaction(): KnexTransactionClass {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const Base = require('knex/lib/dialects/mysql2/transaction.js') as KnexTransactionClass;
  class ReadTransaction extends Base {
    override begin(conn: unknown): Promise<unknown> {
      // An isolation level asked for goes through knex's own SET TRANSACTION, for this transaction only.
      if (!this.readOnly || this.isolationLevel) return super.begin(conn);
      return this.query(conn, 'START TRANSACTION READ ONLY;');
    }
  }
  cached = ReadTransaction;
  return cached;
}
