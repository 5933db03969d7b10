/**
 * A SQLite exchange table standing in for a front database that refuses one row for its values:
 * each insert whose bindings hold `refused` (the bad row's payload) throws the error the test
 * sets, as the real driver raises it, and the batch is written as for that database. Shared by the
 * tests of MySQL's and of Oracle's and SQL Server's row refusals.
 */
import knexModule, { type Knex } from 'knex';
import { COLUMNS, ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { writeBatch } from '../../adapters/platforms/front-db/write-batch.js';

export interface RefusingExchange {
  readonly k: Knex;
  /** The error the next inserts holding the refused payload throw; undefined refuses nothing. */
  refuse: (() => unknown) | undefined;
}

export async function refusingExchange(table: string, refused: string): Promise<RefusingExchange> {
  // knex's SQLite client, as a class of its own: a transaction's client is made from the class,
  // not the instance.
  const probe = knexModule({ client: 'better-sqlite3', useNullAsDefault: true });
  type Query = { sql: string; bindings?: unknown[] };
  const Base = probe.client.constructor as new (
    config: unknown,
  ) => { _query(c: unknown, q: Query): Promise<unknown> };
  await probe.destroy();
  const holder: { refuse: (() => unknown) | undefined } = { refuse: undefined };
  class Refusing extends Base {
    override async _query(c: unknown, q: Query): Promise<unknown> {
      if (holder.refuse && /^insert/i.test(q.sql) && q.bindings?.includes(refused)) throw holder.refuse();
      return await super._query(c, q);
    }
  }
  const k = knexModule({
    client: Refusing as unknown as typeof knexModule.Client,
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  await ensureExchangeTable(k, table);
  return {
    k,
    get refuse() {
      return holder.refuse;
    },
    set refuse(fn) {
      holder.refuse = fn;
    },
  };
}

/** An exchange row of key `key-<n>` carrying `payload`. */
export function exchangeRow(n: number, payload: string): Record<string, unknown> {
  return {
    [COLUMNS.key]: `key-${n}`,
    [COLUMNS.batch]: 'B1',
    [COLUMNS.opType]: 'I',
    [COLUMNS.time]: '2026-12-01T00:00:00.000Z',
    [COLUMNS.dataSource]: '11370211MB1234567X',
    [COLUMNS.licenseId]: `L${n}`,
    [COLUMNS.version]: 1,
    [COLUMNS.identifier]: `Z${n}`,
    [COLUMNS.opCode]: '01',
    [COLUMNS.status]: '01',
    [COLUMNS.payload]: payload,
    [COLUMNS.signature]: 'sig',
  };
}

/** `rows` written to `table` as one batch, inserts ignoring keys already held, 5 s to go. */
export function writeExchangeRows(k: Knex, table: string, rows: Record<string, unknown>[]) {
  return writeBatch(k, rows, {
    target: 'city',
    table,
    write: {
      style: 'ignore',
      chunk: 50,
      batch: 'B1',
      deadline: { remainingMs: () => 5_000, cancel: false },
    },
    statusIsNumber: false,
  });
}
