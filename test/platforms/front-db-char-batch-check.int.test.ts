/**
 * The read-back that finds a row stored other than written, on an exchange table whose `BATCH_NO`
 * comes back padded and does not match the unpadded batch number in a `WHERE` (Oracle's `CHAR`
 * against a `VARCHAR2` bind compares without blank-padding). Played on PostgreSQL by a `varchar`
 * column that a trigger pads as Oracle stores a `CHAR`; the same trigger cuts `ZZBS` to 20
 * characters, as a non-strict database cuts a value to a narrower column without an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_CHARB';

describe('front-db target: a padded BATCH_NO still has its rows checked', () => {
  let place: ScratchPlace;
  let target: FrontDbTarget;

  beforeAll(async () => {
    place = await scratchPlace('postgres', 'lb_charb');
    await cityExchangeTable(
      place.city,
      TABLE,
      `alter table "${TABLE}" alter column "BATCH_NO" type varchar(40)`,
      `create function pad_as_char() returns trigger language plpgsql as $$
       begin
         NEW."BATCH_NO" := rpad(NEW."BATCH_NO", 40);
         NEW."ZZBS" := left(NEW."ZZBS", 20);
         return NEW;
       end $$`,
      `create trigger pad_as_char before insert on "${TABLE}" for each row execute function pad_as_char()`,
    );
    target = new FrontDbTarget('city', frontDbConfig('postgres', place.where, TABLE));
  });
  afterAll(async () => {
    await target?.close();
    await place?.dispose();
  });

  it('rejects a row stored cut and takes it out, a padded batch number notwithstanding', async () => {
    const items = [1, 2].map((n) => deliveryItem(n, { target: 'city' }));
    const outcomes = await target.deliver(items);
    expect(outcomes.map((o) => [o.state, String(o.reasons)])).toEqual([
      ['rejected', expect.stringMatching(/^exchange table UP_LIC_CHARB stored ZZBS other than written/)],
      ['rejected', expect.stringMatching(/^exchange table UP_LIC_CHARB stored ZZBS other than written/)],
    ]);
    expect(await place.city(TABLE).count({ n: '*' })).toEqual([{ n: '0' }]);
  });
});
