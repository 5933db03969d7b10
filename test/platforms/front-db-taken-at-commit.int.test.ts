/**
 * An exchange system that takes a row out of the exchange table as soon as it can see it (moving it
 * into its own table, as many do once a row is picked up), before the send reads its rows back.
 * The send's insert had committed: the row was delivered. It was answered "exchange row not found
 * after insert", retryable, and each retry wrote the row again, which the exchange system took
 * again: the province received the license once per attempt. The exchange system is played by a
 * deferred PostgreSQL trigger, which moves each row into `EXCHANGE_TAKEN` as the send commits.
 */
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

/** The exchange table, and the trigger that moves a committed row into the exchange system's table. */
const takenAtCommit = (table: string): string[] => [
  `create table "EXCHANGE_TAKEN" as select * from "${table}" with no data`,
  `create function lb_take_row() returns trigger language plpgsql as $$
   begin
     insert into "EXCHANGE_TAKEN" select * from "${table}" where "DELIVERY_KEY" = NEW."DELIVERY_KEY";
     delete from "${table}" where "DELIVERY_KEY" = NEW."DELIVERY_KEY";
     return null;
   end $$`,
  `create constraint trigger lb_take_row after insert on "${table}" deferrable initially deferred
   for each row execute function lb_take_row()`,
];

/** Sends `item` as the deliver stage does: again after a retryable failure, three attempts at most. */
async function sendWithRetries(
  target: FrontDbTarget,
  item: DeliveryItem,
): Promise<DeliveryOutcome | undefined> {
  let out: DeliveryOutcome | undefined;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    [out] = await target.deliver([item]);
    if (out?.state !== 'failed' || out.retryable !== true) break;
  }
  return out;
}

describe('front-db target on PostgreSQL: rows the exchange system takes out as they are committed', () => {
  const scratch = scratchPlaceForTests('postgres', 'lb_take', async (place) => {
    await cityExchangeTable(place.city, 'UP_LIC_TAKE', ...takenAtCommit('UP_LIC_TAKE'));
  });
  const taken = async (key: string) =>
    (await scratch.place.city('EXCHANGE_TAKEN').where({ DELIVERY_KEY: key }).count({ n: '*' }))[0]?.n;

  it('answers the delivery accepted, written once', async () => {
    const target = scratch.closedAfter(
      new FrontDbTarget('city', frontDbConfig('postgres', scratch.place.where, 'UP_LIC_TAKE')),
    );
    const item = deliveryItem(1, { target: 'city' });
    const out = await sendWithRetries(target, item);
    expect(Number(await taken(item.key))).toBe(1);
    expect(out).toMatchObject({ key: item.key, state: 'accepted', receipt: { duplicate: false } });
    expect(await scratch.place.city('UP_LIC_TAKE').count({ n: '*' })).toEqual([{ n: '0' }]);
  });

  it('with exchangeStatus, answers it submitted, written once', async () => {
    const target = scratch.closedAfter(
      new FrontDbTarget(
        'city',
        frontDbConfig('postgres', scratch.place.where, 'UP_LIC_TAKE', {
          exchangeStatus: { accepted: ['1'], rejected: ['9'] },
        }),
      ),
    );
    const item = deliveryItem(2, { target: 'city' });
    const out = await sendWithRetries(target, item);
    expect(Number(await taken(item.key))).toBe(1);
    expect(out).toMatchObject({ key: item.key, state: 'submitted', receipt: { duplicate: false } });
  });
});
