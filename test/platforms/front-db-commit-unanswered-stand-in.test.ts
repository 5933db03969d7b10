/**
 * A send to an Oracle, DM or SQL Server front database whose COMMIT landed and whose answer was
 * lost (the connection broken as it came back). None of them can be asked whether a transaction
 * committed: the retry, finding no row of the key where the exchange system had taken it out
 * meanwhile, wrote it again, and the exchange system took the license a second time. Now it is not
 * written again where its row is gone (its delivery fails for good, the reason saying why); a row
 * still there is answered as that send's. No Oracle, DM or SQL Server runs in the tests: knex's
 * Oracle and SQL Server clients and licbridge's DM client run against a stand-in table that keeps a
 * transaction's rows apart until its commit, and whose commit, once armed, lands and then fails as
 * a broken connection.
 */
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import type { StatementDeadline } from '../../adapters/platforms/front-db/insert-new-keys.js';
import { UnansweredCommits } from '../../adapters/platforms/front-db/unanswered-commits.js';
import { writeBatch } from '../../adapters/platforms/front-db/write-batch.js';
import type { DeliveryOutcome } from '../../adapters/platforms/target.js';
import { dmKnexClient } from '../../connectors/sql/dialects/dm/knex-client.js';

interface Compiled {
  sql: string;
  bindings: unknown[];
}

const TABLE = 'UP_LIC_DATA';
const deadline: StatementDeadline = { remainingMs: () => 5_000, cancel: false };

/**
 * An exchange table: `committed` what other sessions see, the open transaction's inserts and
 * deletes kept apart until its commit (savepoints kept by name). `loseNextCommit` has the next
 * commit land, then fail as the driver fails a broken connection.
 */
function exchangeTable() {
  const committed: Record<string, unknown>[] = [];
  let inserted: Record<string, unknown>[] = [];
  let deleted = new Set<string>();
  let losing = false;
  let refusing = false;
  const visible = () => [...committed.filter((r) => !deleted.has(keyOf(r))), ...inserted];
  const keyOf = (r: Record<string, unknown>) => String(r[COLUMNS.key]);
  const matching = (q: Compiled) => {
    const bound = new Set(q.bindings.filter((b) => typeof b === 'string'));
    return visible().filter((r) => bound.has(keyOf(r)));
  };
  const answer = (q: Compiled): unknown[] => {
    const sql = q.sql.trim();
    if (/^(savepoint|rollback|release)/i.test(sql)) return [];
    if (/^insert/i.test(sql)) {
      const columns = (/\(([^)]*)\) values/i.exec(sql)?.[1] ?? '')
        .split(',')
        .map((c) => c.trim().replace(/^["[]|["\]]$/g, ''));
      const row = Object.fromEntries(columns.map((c, i) => [c, q.bindings[i]]));
      if (visible().some((r) => keyOf(r) === keyOf(row))) {
        throw Object.assign(new Error('ORA-00001: unique constraint violated'), { errorNum: 1 });
      }
      inserted.push(row);
      return [];
    }
    if (/^select/i.test(sql)) return matching(q).map((r) => ({ ...r }));
    if (/^delete/i.test(sql)) {
      for (const r of matching(q)) {
        if (inserted.includes(r)) inserted.splice(inserted.indexOf(r), 1);
        else deleted.add(keyOf(r));
      }
      return [];
    }
    throw new Error(`stand-in: no answer for ${sql}`);
  };
  /** Lands the open transaction; armed, then fails as the driver fails a broken connection. */
  const commit = (lost: Error) => {
    for (let i = committed.length - 1; i >= 0; i -= 1) {
      if (deleted.has(keyOf(committed[i] ?? {}))) committed.splice(i, 1);
    }
    committed.push(...inserted);
    inserted = [];
    deleted = new Set();
    if (losing) {
      losing = false;
      throw lost;
    }
  };
  const savepoints = new Map<string, { inserted: Record<string, unknown>[]; deleted: Set<string> }>();
  /** Back to savepoint `name`, or the whole transaction without one. */
  const rollback = (name?: string) => {
    const at = name === undefined ? undefined : savepoints.get(name);
    inserted = at ? [...at.inserted] : [];
    deleted = at ? new Set(at.deleted) : new Set();
  };
  /** node-oracledb's connection, as knex's Oracle client and the DM client use it. */
  const oracle = {
    executeAsync: async (sql: string, bindings: unknown[]) => {
      const rows = answer({ sql, bindings });
      return { rows, rowsAffected: rows.length };
    },
    commitAsync: async () =>
      commit(
        Object.assign(new Error('NJS-500: connection to the Oracle Database was broken'), {
          code: 'NJS-500',
        }),
      ),
    rollbackAsync: async () => rollback(),
  };
  /** tedious' connection, as knex's SQL Server client uses it around its statements. */
  const tedious = {
    inTransaction: true,
    state: { name: 'LoggedIn' },
    beginTransaction: (done: (e?: Error) => void) => {
      rollback();
      done();
    },
    saveTransaction: (done: (e?: Error) => void, name: string) => {
      savepoints.set(name, { inserted: [...inserted], deleted: new Set(deleted) });
      done();
    },
    commitTransaction: (done: (e?: Error) => void, name?: string) => {
      if (name !== undefined) return done();
      if (refusing) {
        // SQL Server's answer to a COMMIT it could not make: the transaction rolled back.
        refusing = false;
        rollback();
        return done(Object.assign(new Error('The transaction ended in the trigger.'), { number: 3609 }));
      }
      try {
        commit(Object.assign(new Error('Connection lost - read ECONNRESET'), { code: 'ESOCKET' }));
        done();
      } catch (e) {
        done(e as Error);
      }
    },
    rollbackTransaction: (done: (e?: Error) => void, name?: string) => {
      rollback(name);
      done();
    },
  };
  return {
    committed,
    answer,
    oracle,
    tedious,
    loseNextCommit() {
      losing = true;
    },
    /** SQL Server only: the next commit is answered with an error, rolled back. */
    refuseNextCommit() {
      refusing = true;
    },
    /** The exchange system picking up every committed row: `taken` counts them by key. */
    takeRows(taken: Map<string, number>) {
      for (const r of committed.splice(0)) taken.set(keyOf(r), (taken.get(keyOf(r)) ?? 0) + 1);
    },
  };
}

type Table = ReturnType<typeof exchangeTable>;

/** knex's Oracle client, or DM's built on it, on `table`'s node-oracledb connection. */
function oracleFamily(client: Knex.Config['client'], table: Table): Knex {
  const k = knexModule({ client });
  const c = k.client as unknown as Record<string, unknown>;
  c.acquireConnection = async () => table.oracle;
  c.releaseConnection = async () => {};
  return k;
}

/** knex's SQL Server client on `table`: tedious' transaction calls, each statement answered by it. */
function sqlServer(table: Table): Knex {
  const Base = knexModule({ client: 'mssql' }).client.constructor as new (config: unknown) => object;
  // tedious hands rows over as lists of columns with their metadata.
  const rowsOf = (rows: unknown[]) =>
    (rows as Record<string, unknown>[]).map((r) =>
      Object.entries(r).map(([colName, value]) => ({ metadata: { colName }, value })),
    );
  class StandIn extends Base {
    async acquireConnection() {
      return table.tedious;
    }
    async releaseConnection() {}
    async _query(_c: unknown, q: Compiled & { response?: unknown }) {
      const rows = table.answer(q);
      // A delete is sent with `select @@rowcount`, read back as a column without a name.
      q.response = rowsOf(/^delete/i.test(q.sql.trim()) ? [{ '': rows.length }] : rows);
      return q;
    }
  }
  return knexModule({ client: StandIn as unknown as typeof knexModule.Client });
}

const CLIENTS: { name: string; knexOn: (table: Table) => Knex }[] = [
  { name: 'Oracle', knexOn: (table) => oracleFamily('oracledb', table) },
  {
    name: 'DM',
    knexOn: (table) => oracleFamily(dmKnexClient() as unknown as Knex.Config['client'], table),
  },
  { name: 'SQL Server', knexOn: sqlServer },
];

const row = (key: string, batch: string): Record<string, unknown> => ({
  [COLUMNS.key]: key,
  [COLUMNS.batch]: batch,
  [COLUMNS.opType]: 'I',
  [COLUMNS.time]: '2026-12-01T10:00:00.000Z',
  [COLUMNS.dataSource]: '11370211MB1234567X',
  [COLUMNS.licenseId]: `L-${key}`,
  [COLUMNS.version]: 1,
  [COLUMNS.identifier]: `ZZBS-${key}`,
  [COLUMNS.opCode]: '01',
  [COLUMNS.status]: '01',
  [COLUMNS.payload]: '{}',
  [COLUMNS.signature]: '{}',
  [COLUMNS.exchangeStatus]: '0',
});

describe.each(CLIENTS)('front-db on $name: a commit that landed, its answer lost', ({ knexOn }) => {
  const standIn = () => {
    const table = exchangeTable();
    const k = knexOn(table);
    const commits = new UnansweredCommits();
    let n = 0;
    /** One send of `keys`, as the target's `deliver` writes them: a thrown send answers nothing. */
    const send = async (keys: string[]): Promise<Map<string, DeliveryOutcome>> => {
      n += 1;
      const batch = `B${n}`;
      return writeBatch(
        k,
        keys.map((key) => row(key, batch)),
        {
          target: 'city',
          table: TABLE,
          write: { style: 'row-by-row', chunk: 50, deadline, batch, commits },
          statusIsNumber: false,
        },
      ).catch(() => new Map());
    };
    return { table, send };
  };

  it('the row taken out before the retry: not written again, failed for good with the reason', async () => {
    const { table, send } = standIn();
    const taken = new Map<string, number>();
    table.loseNextCommit();
    expect((await send(['K1', 'K2'])).size).toBe(0);
    expect(table.committed).toHaveLength(2);
    table.takeRows(taken);

    const retry = await send(['K1', 'K2']);
    table.takeRows(taken);
    expect(Object.fromEntries(taken)).toEqual({ K1: 1, K2: 1 });
    for (const key of ['K1', 'K2']) {
      expect(retry.get(key)).toMatchObject({ state: 'failed', retryable: false, failure: 'no-result' });
      expect(String(retry.get(key)?.reasons)).toContain(
        "an earlier send's COMMIT into exchange table UP_LIC_DATA went unanswered",
      );
    }

    // Replayed by a person after asking the exchange system: written.
    expect((await send(['K1'])).get('K1')).toMatchObject({
      state: 'accepted',
      receipt: { duplicate: false },
    });
    expect(table.committed.map((r) => r[COLUMNS.key])).toEqual(['K1']);
  });

  it('the row still there: answered as the earlier send’s, written once; a new key with it written', async () => {
    const { table, send } = standIn();
    table.loseNextCommit();
    expect((await send(['K1'])).size).toBe(0);

    const retry = await send(['K1', 'K2']);
    expect(retry.get('K1')).toMatchObject({ state: 'accepted', receipt: { batchNo: 'B1', duplicate: true } });
    expect(retry.get('K2')).toMatchObject({ state: 'accepted', receipt: { duplicate: false } });
    expect(table.committed.map((r) => [r[COLUMNS.key], r[COLUMNS.batch]])).toEqual([
      ['K1', 'B1'],
      ['K2', 'B2'],
    ]);
  });
});

describe('front-db on SQL Server: a COMMIT answered with an error', () => {
  it('rolled back: the retry writes the row, accepted, not dead-lettered as of unknown fate', async () => {
    const table = exchangeTable();
    const k = sqlServer(table);
    const commits = new UnansweredCommits();
    const send = (batch: string) =>
      writeBatch(k, [row('K1', batch)], {
        target: 'city',
        table: TABLE,
        write: { style: 'row-by-row', chunk: 50, deadline, batch, commits },
        statusIsNumber: false,
      });
    table.refuseNextCommit();
    await expect(send('B1')).rejects.toMatchObject({ number: 3609 });
    expect(table.committed).toEqual([]);

    expect((await send('B2')).get('K1')).toMatchObject({ state: 'accepted', receipt: { duplicate: false } });
    expect(table.committed.map((r) => [r[COLUMNS.key], r[COLUMNS.batch]])).toEqual([['K1', 'B2']]);
  });
});
