/**
 * knex's pg client, whose read transactions open in one round trip. node-postgres sends a
 * statement only once the one before it has been answered, so a page read was four round trips:
 * `BEGIN TRANSACTION …`, the read's first statement (dialect.ts `postgresRead`: its output
 * formats and zone), the page, ROLLBACK. BEGIN and the first statement go as one simple query
 * here, `BEGIN TRANSACTION ISOLATION LEVEL repeatable read READ ONLY; SELECT set_config(…)`, which
 * the server runs in order: the transaction and its snapshot are the same, taken by the first
 * statement after BEGIN as before (issue 17).
 */
import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import {
  type FirstWithBegin,
  firstWithBegin,
  type KnexTransaction,
  type KnexTransactionClass,
} from '../../read-transaction.js';

type ClientClass = typeof Knex.Client;

/** knex's transaction as its pg client makes one (knex/lib/dialects/postgres/execution). */
interface PgTransaction extends KnexTransaction {
  /** The client on the transaction's connection, set before `begin`. */
  readonly trxClient: { query(conn: unknown, sql: string): Promise<unknown> };
}

/**
 * An error the server answered with a SQLSTATE on a session that goes on: not the connection
 * classes (08, a connection exception; 57P01–57P03, the server shutting down or the session
 * terminated), not a client-side error (a timeout, a closed client), which carry no SQLSTATE.
 */
function refusedByServer(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^08|^57P0[123]$/.test(code);
}

let cached: ClientClass | undefined;

/** The knex client class for the PostgreSQL protocol (PostgreSQL, KingbaseES), made once. */
export function pgKnexClient(): ClientClass {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const Base = require('knex/lib/dialects/postgres/index.js') as new (config: unknown) => object;
  const BaseTransaction =
    require('knex/lib/dialects/postgres/execution/pg-transaction.js') as KnexTransactionClass<PgTransaction>;
  class ReadTransaction extends BaseTransaction {
    private readonly first: FirstWithBegin | undefined;
    constructor(client: unknown, container: unknown, config: unknown, outerTx: unknown) {
      super(client, container, config, outerTx);
      // Set before knex begins: the constructor starts the transaction on a later tick.
      this.first = firstWithBegin(config);
    }

    override async begin(conn: unknown): Promise<unknown> {
      const first = this.first;
      if (!first) return super.begin(conn);
      // knex's own BEGIN (pg-transaction.js), with the first statement after it: a simple query
      // (no parameters) may hold several, run in order.
      const mode = [
        this.isolationLevel ? `ISOLATION LEVEL ${this.isolationLevel}` : '',
        this.readOnly ? 'READ ONLY' : '',
      ]
        .join(' ')
        .trim();
      try {
        const result = await this.trxClient.query(conn, `BEGIN TRANSACTION ${mode}; ${first.first}`);
        first.sent = true;
        return result;
      } catch (error) {
        // Where BEGIN took and the statement after it failed, the session is left in an aborted
        // transaction, which the pool would hand to the next read (every statement of it refused:
        // current transaction is aborted). Rolled back, the read begins as knex begins one and
        // runs the statement on its own (read-transaction.ts), which fails as it failed before,
        // with its own error, and is rolled back.
        await this.trxClient.query(conn, 'ROLLBACK').catch(() => undefined);
        // Only where the server refused a statement: a connection lost or dropped (no answer in
        // time, core/pg-query-bound.ts) fails with its own error, which the read retries on a
        // fresh connection; begun again, it failed as a closed client's, not retried.
        if (!refusedByServer(error)) throw error;
        return super.begin(conn);
      }
    }
  }
  class ClientPgRead extends Base {
    transaction(container: unknown, config: unknown, outerTx: unknown): unknown {
      return new ReadTransaction(this, container, config, outerTx);
    }
  }
  cached = ClientPgRead as unknown as ClientClass;
  return cached;
}
