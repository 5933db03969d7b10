/**
 * An exchange table whose `DELIVERY_KEY` is not unique (no primary key, no unique index: the city's
 * own DBA made it) can hold two rows of one key: written so by an older licbridge, which sent every
 * key again into such a table, or by two sends that both found the key absent (docs/sync.md: the
 * MySQL, SQL Server, Oracle and DM window). The deletes a send makes by key took every row of the
 * key: taking out a row the exchange system refused also took out the one it had taken in (the
 * license then offered to it again), and taking out this send's own row stored altered also took
 * out the earlier send's. Each now takes out only the row it means.
 */
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { writeBatch } from '../../adapters/platforms/front-db/write-batch.js';
import { cityExchangeTable, exchangeRow, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const EXCHANGE = { accepted: ['1'], rejected: ['9'] };

describe('front-db target on MariaDB: a key holding two rows in a table whose key is not unique', () => {
  const scratch = scratchPlaceForTests('mysql', 'lb_twin', async (place) => {
    await cityExchangeTable(place.city, 'UP_LIC_TWIN', 'alter table UP_LIC_TWIN drop primary key');
    // Rewrites a row's ZZBS as it is stored, for rows of batch B2 only.
    await cityExchangeTable(place.city, 'UP_LIC_TWIN_TRG', 'alter table UP_LIC_TWIN_TRG drop primary key');
    await place.city.raw(
      `create trigger UP_LIC_TWIN_TRG_ZZBS before insert on UP_LIC_TWIN_TRG for each row
       begin if NEW.BATCH_NO = 'B2' then set NEW.ZZBS = concat('X', NEW.ZZBS); end if; end`,
    );
  });
  const rowsOf = async (table: string) =>
    (await scratch.place
      .city(table)
      .select(COLUMNS.key, COLUMNS.batch, COLUMNS.exchangeStatus)
      .orderBy(COLUMNS.batch)) as Record<string, string>[];

  it("a refused row taken out before its key is written again leaves the key's row taken in", async () => {
    const target = scratch.closedAfter(
      new FrontDbTarget(
        'city',
        frontDbConfig('mysql', scratch.place.where, 'UP_LIC_TWIN', { exchangeStatus: EXCHANGE }),
      ),
    );
    const item = deliveryItem(1, { target: 'city' });
    const [first] = await target.deliver([item]);
    expect(first?.state).toBe('submitted');
    const city = scratch.place.city;
    // The exchange system refused that row, and took in the copy an older licbridge wrote.
    const [row] = await city('UP_LIC_TWIN').where(COLUMNS.key, item.key);
    await city('UP_LIC_TWIN')
      .where(COLUMNS.key, item.key)
      .update({ [COLUMNS.exchangeStatus]: '9' });
    await city('UP_LIC_TWIN').insert({
      ...row,
      [COLUMNS.batch]: 'OLDER-COPY',
      [COLUMNS.exchangeStatus]: '1',
    });

    const [again] = await target.deliver([item]);
    expect(await rowsOf('UP_LIC_TWIN')).toEqual([
      { [COLUMNS.key]: item.key, [COLUMNS.batch]: 'OLDER-COPY', [COLUMNS.exchangeStatus]: '1' },
    ]);
    expect(again).toMatchObject({ state: 'accepted', receipt: { batchNo: 'OLDER-COPY', duplicate: true } });
  });

  it("this send's row taken out again leaves the key's row of an earlier send", async () => {
    const city = scratch.place.city;
    const earlier = { ...exchangeRow('K1', 'B1'), [COLUMNS.time]: '2026-12-01T00:00:00.000Z' };
    await city('UP_LIC_TWIN_TRG').insert(earlier);
    // `ignore` (`insert ignore` on MySQL) puts the key's second row in, as a send that met another does.
    const out = await writeBatch(city, [{ ...earlier, [COLUMNS.batch]: 'B2' }], {
      target: 'city',
      table: 'UP_LIC_TWIN_TRG',
      write: {
        style: 'ignore',
        chunk: 50,
        batch: 'B2',
        deadline: { remainingMs: () => 5_000, cancel: true },
      },
      statusIsNumber: false,
    });
    expect(out.get('K1')?.state).toBe('rejected');
    expect(await rowsOf('UP_LIC_TWIN_TRG')).toEqual([
      { [COLUMNS.key]: 'K1', [COLUMNS.batch]: 'B1', [COLUMNS.exchangeStatus]: '0' },
    ]);
  });
});
