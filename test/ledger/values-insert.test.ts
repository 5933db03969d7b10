/**
 * A page's SQLite inserts as text with flat bindings (ledger/values-insert.ts) store what knex's
 * query builder stored for the same rows: every key of every row as a column, values bound as
 * knex binds them (a Date as its milliseconds, a boolean as 0 or 1, a Buffer as a blob, a bigint
 * as an integer, undefined as null), and any column name, a keyword included.
 */
import knex, { type Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertValues } from '../../ledger/values-insert.js';

const COLUMNS =
  '(id integer primary key, "order" text, note text, at integer, flag integer, bytes blob, big integer)';

describe('insertValues on SQLite', () => {
  let k: Knex;

  beforeEach(async () => {
    k = knex({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
    await k.raw(`create table built ${COLUMNS}`);
    await k.raw(`create table texted ${COLUMNS}`);
  });

  afterEach(async () => {
    await k.destroy();
  });

  const rowsOf = (table: string) => k(table).select('*').orderBy('id');

  it('stores every key of every row, as knex builder does: one absent from the first row too', async () => {
    // Rows with optional keys spread in (`...(x ? { note } : {})`) do not all share the first's keys.
    const rows: Record<string, unknown>[] = [
      { id: 1, big: 5 },
      { id: 2, big: 6, note: 'only here' },
      { note: 'first here', id: 3 },
    ];
    await k.transaction(async (trx) => {
      await trx('built').insert(rows);
      await insertValues(trx, 'texted', rows);
    });
    expect(await rowsOf('texted')).toEqual(await rowsOf('built'));
    expect(await rowsOf('texted')).toMatchObject([
      { id: 1, big: 5, note: null },
      { id: 2, big: 6, note: 'only here' },
      { id: 3, big: null, note: 'first here' },
    ]);
  });

  it('stores a key of a row that has as many keys as the first, another among them', async () => {
    const rows: Record<string, unknown>[] = [
      { id: 1, big: 5 },
      { id: 2, note: 'in place of big' },
      { id: 3, big: 7 },
    ];
    await k.transaction(async (trx) => {
      await trx('built').insert(rows);
      await insertValues(trx, 'texted', rows);
    });
    expect(await rowsOf('texted')).toEqual(await rowsOf('built'));
    expect(await rowsOf('texted')).toMatchObject([
      { id: 1, big: 5, note: null },
      { id: 2, big: null, note: 'in place of big' },
      { id: 3, big: 7, note: null },
    ]);
  });

  it('takes a column named by a keyword', async () => {
    const rows = [
      { id: 1, order: 'a' },
      { id: 2, order: 'b' },
    ];
    await k.transaction(async (trx) => {
      await trx('built').insert(rows);
      await insertValues(trx, 'texted', rows);
    });
    expect(await rowsOf('texted')).toEqual(await rowsOf('built'));
  });

  it('binds Date, boolean, Buffer, bigint and undefined as knex builder does', async () => {
    const rows = [
      {
        id: 1,
        at: new Date('2026-01-02T03:04:05.678Z'),
        flag: true,
        bytes: Buffer.from([0, 1, 255]),
        big: 2n ** 60n,
      },
      { id: 2, at: undefined, flag: false, bytes: null, big: 7n },
    ];
    await k.transaction(async (trx) => {
      await trx('built').insert(rows);
      await insertValues(trx, 'texted', rows);
    });
    const texted = await rowsOf('texted');
    expect(texted).toEqual(await rowsOf('built'));
    expect(texted[0]).toMatchObject({ at: Date.parse('2026-01-02T03:04:05.678Z'), flag: 1 });
    expect(Buffer.from(texted[0].bytes as Uint8Array)).toEqual(Buffer.from([0, 1, 255]));
    expect(texted[1]).toMatchObject({ at: null, flag: 0, bytes: null, big: 7 });
  });

  it('puts the tail after the values: an upsert and a returning', async () => {
    await k.transaction(async (trx) => {
      await insertValues(trx, 'texted', [{ id: 1, note: 'n', big: 1 }]);
      await insertValues(
        trx,
        'texted',
        [
          { id: 1, note: 'm', big: 2 },
          { id: 2, note: 'o', big: 3 },
        ],
        ' on conflict (id) do update set big = excluded.big',
      );
      const returned = await insertValues(trx, 'texted', [{ id: 3, note: 'p' }], ' returning id, note');
      expect(returned).toEqual([{ id: 3, note: 'p' }]);
    });
    expect(await rowsOf('texted')).toMatchObject([
      { id: 1, note: 'n', big: 2 },
      { id: 2, note: 'o', big: 3 },
      { id: 3, note: 'p', big: null },
    ]);
  });

  it('runs in the transaction: rolled back, its rows are gone; a taken key fails with the driver code', async () => {
    await expect(
      k.transaction(async (trx) => {
        await insertValues(trx, 'texted', [{ id: 1, note: 'kept until the rollback' }]);
        expect(await trx('texted').count({ n: '*' })).toEqual([{ n: 1 }]);
        await insertValues(trx, 'texted', [{ id: 1, note: 'taken' }]);
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await rowsOf('texted')).toEqual([]);
  });
});
