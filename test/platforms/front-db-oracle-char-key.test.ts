/**
 * An Oracle exchange table whose `DELIVERY_KEY` is a `CHAR` column: Oracle stores each key padded
 * to the column's width and compares the column with the driver's `VARCHAR2` bind without
 * blank-padding, so the unpadded key found no row: every write answered "not found after insert"
 * and was retried, a poll found every row gone. No Oracle server runs in the tests: knex's Oracle
 * client runs against a stand-in table that stores and compares keys as Oracle does.
 */
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { checkExchangeColumns } from '../../adapters/platforms/front-db/exchange-columns.js';
import { readExchangeStates } from '../../adapters/platforms/front-db/exchange-status.js';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import type { StatementDeadline } from '../../adapters/platforms/front-db/insert-new-keys.js';
import { writeBatch } from '../../adapters/platforms/front-db/write-batch.js';

interface Compiled {
  sql: string;
  bindings: unknown[];
}

const WIDTH = 64;
const TABLE = 'UP_LIC_DATA';
const deadline: StatementDeadline = { remainingMs: () => 5_000, cancel: false };

/**
 * knex's Oracle client on a stand-in connection: each statement, as knex compiled it for Oracle and
 * with the values it binds, is answered by `answer` instead of a server.
 */
function standIn(answer: (q: Compiled) => unknown[]): { k: Knex; seen: Compiled[] } {
  const k = knexModule({ client: 'oracledb' });
  const seen: Compiled[] = [];
  const connection = {
    executeAsync: async (sql: string, bindings: unknown[]) => {
      const q = { sql, bindings };
      seen.push(q);
      const rows = answer(q);
      return { rows, rowsAffected: rows.length };
    },
    commitAsync: async () => {},
    rollbackAsync: async () => {},
  };
  const client = k.client as unknown as Record<string, unknown>;
  client.acquireConnection = async () => connection;
  client.releaseConnection = async () => {};
  return { k, seen };
}

/**
 * An exchange table with `DELIVERY_KEY CHAR(64)` as Oracle keeps it: a key stored padded to the
 * width, its primary key comparing padded values, a `WHERE` on it comparing the stored value with
 * the bound text exactly, as Oracle compares a `CHAR` with a `VARCHAR2`. `chars`: other columns
 * of type `CHAR`, by width, stored padded too.
 */
function charKeyTable(chars: Readonly<Record<string, number>> = {}) {
  const rows: Record<string, unknown>[] = [];
  const pad = (v: unknown) => String(v).padEnd(WIDTH, ' ');
  const matching = (q: Compiled) => {
    const bound = new Set(q.bindings.filter((b) => typeof b === 'string'));
    return rows.filter((r) => bound.has(r[COLUMNS.key] as string));
  };
  const answer = (q: Compiled): unknown[] => {
    const sql = q.sql.trim();
    if (/^(savepoint|rollback|release)/i.test(sql)) return [];
    if (/^insert/i.test(sql)) {
      const columns = (/\(([^)]*)\) values/i.exec(sql)?.[1] ?? '')
        .split(',')
        .map((c) => c.trim().replaceAll('"', ''));
      const row = Object.fromEntries(columns.map((c, i) => [c, q.bindings[i]]));
      row[COLUMNS.key] = pad(row[COLUMNS.key]);
      for (const [column, width] of Object.entries(chars))
        row[column] = String(row[column]).padEnd(width, ' ');
      if (rows.some((r) => r[COLUMNS.key] === row[COLUMNS.key])) {
        throw Object.assign(new Error('ORA-00001: unique constraint violated'), { errorNum: 1 });
      }
      rows.push(row);
      return [];
    }
    if (/^select/i.test(sql)) return matching(q).map((r) => ({ ...r }));
    if (/^delete/i.test(sql)) {
      for (const r of matching(q)) rows.splice(rows.indexOf(r), 1);
      return [];
    }
    throw new Error(`stand-in: no answer for ${sql}`);
  };
  return { rows, answer };
}

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

const write = (k: Knex, rows: Record<string, unknown>[], batch: string, keyPadTo?: number) =>
  writeBatch(k, rows, {
    target: 'city',
    table: TABLE,
    write: {
      style: 'row-by-row',
      chunk: 50,
      deadline,
      batch,
      ...(keyPadTo === undefined ? {} : { keyPadTo }),
    },
    statusIsNumber: false,
  });

describe('front-db on Oracle: a CHAR DELIVERY_KEY', () => {
  it('is learnt from the catalog as padded to its width; a VARCHAR2 key is not', async () => {
    for (const [type, padTo] of [
      ['CHAR', WIDTH],
      ['NCHAR', WIDTH],
      ['VARCHAR2', undefined],
    ] as const) {
      const { k } = standIn((q) =>
        /ALL_TAB_COLUMNS/.test(q.sql)
          ? [
              { name: COLUMNS.key, maxLength: WIDTH, type },
              { name: COLUMNS.batch, maxLength: 32, type: 'CHAR' },
              { name: COLUMNS.time, maxLength: 30, type: 'VARCHAR2' },
            ]
          : [],
      );
      const shape = await checkExchangeColumns(k, {
        target: 'city',
        client: 'oracle',
        table: TABLE,
        dataSource: '11370211MB1234567X',
        deadline,
      });
      expect([type, shape.keyWidth, shape.keyPadTo]).toEqual([type, WIDTH, padTo]);
    }
  });

  it('finds each written row as its own, and a replay as a duplicate, with the key bound padded', async () => {
    const table = charKeyTable();
    const { k, seen } = standIn(table.answer);
    const rows = ['K1', 'K2'].map((key) => row(key, 'B1'));
    const first = await write(k, rows, 'B1', WIDTH);
    expect([...first.values()].map((o) => [o.key, o.state, o.receipt?.duplicate])).toEqual([
      ['K1', 'accepted', false],
      ['K2', 'accepted', false],
    ]);
    const lookup = seen.find((q) => /^select .* where "DELIVERY_KEY" in \(:1, :2\)/.test(q.sql));
    expect(lookup?.bindings).toEqual(['K1'.padEnd(WIDTH), 'K2'.padEnd(WIDTH)]);
    const again = await write(
      k,
      ['K1', 'K2'].map((key) => row(key, 'B2')),
      'B2',
      WIDTH,
    );
    expect([...again.values()].map((o) => [o.key, o.state, o.receipt?.duplicate])).toEqual([
      ['K1', 'accepted', true],
      ['K2', 'accepted', true],
    ]);
    expect(table.rows).toHaveLength(2);
  });

  it("compares an earlier send's row with CHAR columns padded: a duplicate, codes changed named, a cut value rejected", async () => {
    const table = charKeyTable({ [COLUMNS.batch]: 64, [COLUMNS.opCode]: 4, [COLUMNS.identifier]: 80 });
    const { k } = standIn(table.answer);
    await write(k, [row('K1', 'B1'), row('K2', 'B1'), row('K3', 'B1')], 'B1', WIDTH);
    const stored = (key: string) => table.rows.find((r) => String(r[COLUMNS.key]).trimEnd() === key) ?? {};
    // K3's identifier as a send that failed before taking it out left it, cut (padded again).
    stored('K3')[COLUMNS.identifier] = 'ZZBS-'.padEnd(80, ' ');
    const again = [row('K1', 'B2'), { ...row('K2', 'B2'), [COLUMNS.opCode]: '05' }, row('K3', 'B2')];
    const out = await write(k, again, 'B2', WIDTH);
    expect(out.get('K1')).toMatchObject({ state: 'accepted', receipt: { batchNo: 'B1', duplicate: true } });
    expect(out.get('K1')?.receipt).not.toHaveProperty('earlierRowDiffers');
    expect(out.get('K2')).toMatchObject({
      state: 'accepted',
      receipt: { batchNo: 'B1', duplicate: true, earlierRowDiffers: [COLUMNS.opCode] },
    });
    expect(out.get('K3')?.state).toBe('rejected');
    expect(String(out.get('K3')?.reasons)).toMatch(/from an earlier send \(BATCH_NO B1\) with ZZBS as a cut/);
    expect(table.rows.map((r) => String(r[COLUMNS.batch]).trimEnd())).toEqual(['B1', 'B1', 'B1']);
  });

  it('finds nothing with the key bound unpadded, as before', async () => {
    const { k } = standIn(charKeyTable().answer);
    const out = await write(k, [row('K1', 'B1')], 'B1');
    expect([...out.values()].map((o) => [o.state, String(o.reasons)])).toEqual([
      [
        'failed',
        `target city: exchange row not found after insert into ${TABLE} (looked up by DELIVERY_KEY): the database took the insert without an error, so something on the table drops the row, moves it elsewhere or rewrites its DELIVERY_KEY (a trigger, a rule)`,
      ],
    ]);
  });

  it("polls each row's code by its padded key", async () => {
    const table = charKeyTable();
    const { k } = standIn(table.answer);
    await write(k, [row('K1', 'B1'), row('K2', 'B1')], 'B1', WIDTH);
    for (const r of table.rows) r[COLUMNS.exchangeStatus] = '1';
    const codes = { accepted: ['1'], rejected: ['9'] };
    const states = await readExchangeStates(k, TABLE, ['K1', 'K2'], codes, deadline, false, WIDTH);
    expect([...states].map(([key, s]) => [key, s.code])).toEqual([
      ['K1', '1'],
      ['K2', '1'],
    ]);
  });
});
