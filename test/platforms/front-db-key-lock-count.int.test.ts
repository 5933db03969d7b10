/**
 * How many advisory locks a send into a PostgreSQL exchange table without a unique `DELIVERY_KEY`
 * holds (./front-db-key-race.int.test.ts: one per key keeps two sends of a key apart). Every lock
 * is an entry in the server's one lock table, sized at `max_locks_per_transaction` (64 by default)
 * per connection: a send of a deliver job's 500 keys held 500, a few workers' sends at once several
 * thousand, and a city's server full of them answered "out of shared memory" (53200) to any
 * session taking a lock, the exchange system's own included. A send of more keys than 64 takes one
 * lock on the table instead, and still keeps a send of one of its keys apart, either way round.
 * A send kept waiting for a lock past `timeoutMs` fails as a statement out of time does: retryable.
 */
import { setTimeout } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { tableLockId } from '../../adapters/platforms/front-db/key-locks.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import {
  cityExchangeTable,
  dropPgPrimaryKey,
  frontDbConfig,
  scratchPlaceForTests,
} from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

describe('front-db target on PostgreSQL: the advisory locks of a send of many keys', () => {
  const scratch = scratchPlaceForTests('postgres', 'lb_keylocks', (place) =>
    cityExchangeTable(
      place.city,
      'UP_LIC_NOPK',
      dropPgPrimaryKey('UP_LIC_NOPK'),
      // The first insert of each transaction waits 4 s: the send holds its locks meanwhile. The test
      // looks, or starts the other send, 2 s into a send: 2 s for the send to take its lock and 2 s
      // before it lets go, either way a pause of this process under a full suite (0.8 s and 300 or
      // 400 ms left a few hundred ms each side). A send waiting out another's lock and then its own
      // wait takes 6 s, inside the 10 s timeoutMs.
      `create function slow_first_insert() returns trigger language plpgsql as $$
       begin
         if current_setting('lb.slept', true) is distinct from 'y' then
           perform set_config('lb.slept', 'y', true);
           perform pg_sleep(4);
         end if;
         return null;
       end $$`,
      'create trigger slow_first_insert before insert on "UP_LIC_NOPK" for each statement execute procedure slow_first_insert()',
    ),
  );

  const worker = async (timeoutMs = 10_000): Promise<FrontDbTarget> => {
    const t = scratch.closedAfter(
      new FrontDbTarget(
        'city',
        frontDbConfig('postgres', scratch.place.where, 'UP_LIC_NOPK', { batchSize: 50, timeoutMs }),
      ),
    );
    await t.refuseUnfitTable();
    return t;
  };
  const items = (from: number, count: number): DeliveryItem[] =>
    Array.from({ length: count }, (_, i) => deliveryItem(from + i, { target: 'city' }));
  /** Advisory locks held in the scratch database now, by any session. */
  const advisoryLocks = async (): Promise<number> => {
    const rows: { n: string }[] = (
      await scratch.place.city.raw(
        `select count(*) as n from pg_locks
         where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`,
      )
    ).rows;
    return Number(rows[0]?.n);
  };
  const heldOnce = async (keys: string[]): Promise<void> => {
    const held = await scratch.place.city('UP_LIC_NOPK').whereIn(COLUMNS.key, keys).pluck(COLUMNS.key);
    expect(held.sort()).toEqual([...keys].sort());
  };
  const duplicateOf = (outcomes: DeliveryOutcome[], key: string) =>
    outcomes.find((o) => o.key === key)?.receipt?.duplicate;

  it('a send of 200 keys holds one advisory lock, not one a key', async () => {
    const send = await worker();
    const many = items(1000, 200);
    const sent = send.deliver(many);
    await setTimeout(2000);
    const held = await advisoryLocks();
    const outcomes = await sent;
    expect(held).toBe(1);
    expect(outcomes.every((o) => o.state === 'accepted' && o.receipt?.duplicate === false)).toBe(true);
    await heldOnce(many.map((i) => i.key));
  });

  it('a send of one of its keys waits for a send of many, and the other way round', async () => {
    const [big, small] = [await worker(), await worker()];
    const many = items(2000, 100);
    const one = many[7] as DeliveryItem;
    const bigFirst = big.deliver(many);
    await setTimeout(2000);
    const smallAfter = small.deliver([one]);
    expect(duplicateOf(await smallAfter, one.key)).toBe(true);
    expect(duplicateOf(await bigFirst, one.key)).toBe(false);

    const more = items(3000, 100);
    const first = more[42] as DeliveryItem;
    const smallFirst = small.deliver([first]);
    await setTimeout(2000);
    const bigAfter = big.deliver(more);
    expect(duplicateOf(await smallFirst, first.key)).toBe(false);
    expect(duplicateOf(await bigAfter, first.key)).toBe(true);
    await heldOnce([...many, ...more].map((i) => i.key));
  });

  it('a send kept waiting for a lock past timeoutMs fails, retryable; the next one writes', async () => {
    // 8 s: the next send's own first insert waits 4 s (1.5 s against 0.8 s left 0.7 s).
    const send = await worker(8000);
    const item = deliveryItem(4000, { target: 'city' });
    // The exchange table's lock held elsewhere (a send of many keys that does not end).
    const city = await scratch.place.city.transaction();
    await city.raw('select pg_advisory_xact_lock(?::bigint)', [String(tableLockId('UP_LIC_NOPK'))]);
    const waited = await send.deliver([item]).catch((e: unknown) => e);
    expect(await advisoryLocks()).toBe(1);
    await city.commit();
    expect(waited).toMatchObject({
      code: 'LB_TARGET_UNREACHABLE',
      retryable: true,
      message: 'target city: writing exchange table UP_LIC_NOPK failed (timed out after 8000 ms)',
    });
    const [again] = await send.deliver([item]);
    expect(again).toMatchObject({ state: 'accepted', receipt: { duplicate: false } });
    await heldOnce([item.key]);
  });
});
