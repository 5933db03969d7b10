/**
 * A city's exchange table whose `DELIVERY_KEY` is a plain column, no primary key or unique index
 * on it (front databases are made by each city's own DBA). MySQL's `on duplicate key update` and
 * the row-by-row inserts of SQL Server, Oracle and DM skip a key already there only when the table
 * refuses the second row: here every send went in again, so a batch sent once more (its answer
 * lost, a dead letter replayed) put each license into the exchange table twice, for the exchange
 * system to pick up twice, and the second send was answered as a new row, not a duplicate. A key
 * already there is now left out of the insert, whatever the table's indexes. PostgreSQL,
 * KingbaseES and SQLite refused their `on conflict (DELIVERY_KEY) do nothing` on such a table:
 * every batch failed (42P10 on PostgreSQL), retried without end. Such a table, found as the target
 * opens (or by that refusal, for an index dropped later), is written the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { writeBatch } from '../../adapters/platforms/front-db/write-batch.js';
import {
  cityExchangeTable,
  dropPgPrimaryKey,
  type FrontDbPlace,
  frontDbConfig,
  type ScratchPlace,
  scratchPlace,
  scratchPlaceForTests,
  sqlitePlace,
} from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

describe('front-db target on MariaDB: DELIVERY_KEY without a unique index', () => {
  let place: ScratchPlace;
  let target: FrontDbTarget;

  beforeAll(async () => {
    place = await scratchPlace('mysql', 'lb_nouniq');
    await cityExchangeTable(place.city, 'UP_LIC_NOPK', 'alter table UP_LIC_NOPK drop primary key');
    target = new FrontDbTarget('city', frontDbConfig('mysql', place.where, 'UP_LIC_NOPK'));
  });
  afterAll(async () => {
    await target?.close();
    await place?.dispose();
  });

  it('a batch sent again writes no row twice, and is answered as the first send', async () => {
    const items = [deliveryItem(1, { target: 'city' }), deliveryItem(2, { target: 'city' })];
    const first = await target.deliver(items);
    expect(first.map((o) => [o.state, o.receipt?.duplicate])).toEqual([
      ['accepted', false],
      ['accepted', false],
    ]);
    const again = await target.deliver(items);
    expect(again.map((o) => [o.state, o.receipt?.duplicate, o.receipt?.batchNo])).toEqual(
      first.map((o) => ['accepted', true, o.receipt?.batchNo]),
    );
    const keys: { DELIVERY_KEY: string }[] = await place.city('UP_LIC_NOPK').select('DELIVERY_KEY');
    expect(keys.map((r) => r.DELIVERY_KEY).sort()).toEqual(items.map((i) => i.key).sort());
  });
});

describe('row-by-row inserts (SQL Server, Oracle, DM) on PostgreSQL: DELIVERY_KEY without a unique index', () => {
  const scratch = scratchPlaceForTests('postgres', 'lb_nouniq', (place) =>
    cityExchangeTable(place.city, 'UP_LIC_NOPK', dropPgPrimaryKey('UP_LIC_NOPK')),
  );

  const row = (key: string, batch: string): Record<string, unknown> => ({
    [COLUMNS.key]: key,
    [COLUMNS.batch]: batch,
    [COLUMNS.opType]: 'I',
    [COLUMNS.time]: '2026-12-01T00:00:00.000Z',
    [COLUMNS.dataSource]: '11370211MB1234567X',
    [COLUMNS.licenseId]: `L-${key}`,
    [COLUMNS.version]: 1,
    [COLUMNS.identifier]: `Z-${key}`,
    [COLUMNS.opCode]: '01',
    [COLUMNS.status]: '01',
    [COLUMNS.payload]: '{}',
    [COLUMNS.signature]: '{}',
    [COLUMNS.exchangeStatus]: '0',
  });

  it('a row sent again is not inserted twice, and is answered a duplicate', async () => {
    const write = (batch: string) =>
      writeBatch(scratch.place.city, [row('k-1', batch), row('k-2', batch)], {
        target: 'city',
        table: 'UP_LIC_NOPK',
        write: {
          style: 'row-by-row',
          chunk: 50,
          batch,
          deadline: { remainingMs: () => 5_000, cancel: false },
        },
        statusIsNumber: false,
      });
    await write('B1');
    const again = await write('B2');
    expect([...again.values()].map((o) => [o.state, o.receipt?.duplicate, o.receipt?.batchNo])).toEqual([
      ['accepted', true, 'B1'],
      ['accepted', true, 'B1'],
    ]);
    const keys = await scratch.place.city('UP_LIC_NOPK').orderBy(COLUMNS.key).pluck(COLUMNS.key);
    expect(keys).toEqual(['k-1', 'k-2']);
  });
});

/** A batch sent twice to `target`: written once, the second send answered as the first. */
async function sentTwice(target: FrontDbTarget, city: FrontDbPlace['city'], table: string): Promise<void> {
  const items = [deliveryItem(1, { target: 'city' }), deliveryItem(2, { target: 'city' })];
  const first = await target.deliver(items);
  expect(first.map((o) => [o.state, o.receipt?.duplicate])).toEqual([
    ['accepted', false],
    ['accepted', false],
  ]);
  const again = await target.deliver(items);
  expect(again.map((o) => [o.state, o.receipt?.duplicate, o.receipt?.batchNo])).toEqual(
    first.map((o) => ['accepted', true, o.receipt?.batchNo]),
  );
  const keys = await city(table).orderBy(COLUMNS.key).pluck(COLUMNS.key);
  expect(keys).toEqual(items.map((i) => i.key).sort());
}

describe('front-db target on PostgreSQL: DELIVERY_KEY without a unique index (on conflict refused)', () => {
  const scratch = scratchPlaceForTests('postgres', 'lb_nouniq_pg', async (place) => {
    await cityExchangeTable(
      place.city,
      'UP_LIC_NOPK',
      dropPgPrimaryKey('UP_LIC_NOPK'),
      'create index "UP_LIC_NOPK_KEY" on "UP_LIC_NOPK" ("DELIVERY_KEY")',
    );
    await cityExchangeTable(place.city, 'UP_LIC_LATER');
    // A table with an INSERT rule (a city's audit copy), where PostgreSQL refuses any `on conflict`
    // (0A000), unique key or not.
    await cityExchangeTable(place.city, 'UP_LIC_RULE');
    await place.city.raw('create table "UP_LIC_AUDIT" ("DELIVERY_KEY" text)');
    await place.city.raw(
      'create rule "UP_LIC_RULE_AUDIT" as on insert to "UP_LIC_RULE" do also insert into "UP_LIC_AUDIT" values (new."DELIVERY_KEY")',
    );
  });

  it('a batch is written, and sent again writes no row twice, answered as the first send', async () => {
    const target = scratch.closedAfter(
      new FrontDbTarget('city', frontDbConfig('postgres', scratch.place.where, 'UP_LIC_NOPK')),
    );
    await sentTwice(target, scratch.place.city, 'UP_LIC_NOPK');
  });

  it('a table with an INSERT rule, which takes no on conflict: written plainly, no row twice', async () => {
    const target = scratch.closedAfter(
      new FrontDbTarget('city', frontDbConfig('postgres', scratch.place.where, 'UP_LIC_RULE')),
    );
    await sentTwice(target, scratch.place.city, 'UP_LIC_RULE');
    expect(await scratch.place.city('UP_LIC_AUDIT').count({ n: '*' })).toEqual([{ n: '2' }]);
  });

  it('a unique index dropped after the target opened fails one send (retryable), then the table is written', async () => {
    const target = scratch.closedAfter(
      new FrontDbTarget('city', frontDbConfig('postgres', scratch.place.where, 'UP_LIC_LATER')),
    );
    await target.refuseUnfitTable();
    await scratch.place.city.raw(dropPgPrimaryKey('UP_LIC_LATER'));
    const items = [deliveryItem(1, { target: 'city' })];
    const e = await target.deliver(items).catch((err: unknown) => err);
    expect(e).toMatchObject({
      retryable: true,
      message: 'target city: writing exchange table UP_LIC_LATER failed (42P10)',
    });
    await sentTwice(target, scratch.place.city, 'UP_LIC_LATER');
  });
});

describe('front-db target on SQLite: DELIVERY_KEY without a unique index (on conflict refused)', () => {
  let place: FrontDbPlace;
  let target: FrontDbTarget;

  beforeAll(async () => {
    place = await sqlitePlace('lb-nouniq');
    await place.city.schema.createTable('UP_LIC_NOPK', (t) => {
      for (const c of Object.values(COLUMNS)) t.text(c);
      t.index([COLUMNS.key]);
    });
    target = new FrontDbTarget('city', frontDbConfig('sqlite', place.where, 'UP_LIC_NOPK'));
    // A view written through an INSTEAD OF trigger, which SQLite refuses any `on conflict` ("cannot
    // UPSERT a view").
    const columns = Object.values(COLUMNS);
    await cityExchangeTable(place.city, 'UP_LIC_BASE');
    await place.city.raw('create view "UP_LIC_VIEW" as select * from "UP_LIC_BASE"');
    await place.city.raw(
      `create trigger "UP_LIC_VIEW_INSERT" instead of insert on "UP_LIC_VIEW" begin insert into "UP_LIC_BASE" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map((c) => `new."${c}"`).join(', ')}); end`,
    );
  });
  afterAll(async () => {
    await target?.close();
    await place?.dispose();
  });

  it('a batch is written, and sent again writes no row twice, answered as the first send', async () => {
    await sentTwice(target, place.city, 'UP_LIC_NOPK');
  });

  it('a view written through a trigger, which takes no on conflict: written plainly, no row twice', async () => {
    const view = new FrontDbTarget('city', frontDbConfig('sqlite', place.where, 'UP_LIC_VIEW'));
    try {
      await sentTwice(view, place.city, 'UP_LIC_VIEW');
    } finally {
      await view.close();
    }
  });
});
