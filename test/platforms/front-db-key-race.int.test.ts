/**
 * Two sends of one delivery key at once into a PostgreSQL exchange table whose `DELIVERY_KEY` has
 * no unique index (two workers, or a retry racing a slow first attempt whose lease ran out). Such a
 * table is written by leaving out the keys it holds, then inserting the others: both sends read the
 * key as absent, neither seeing the other's row not yet committed, and both inserted it — the
 * license twice in the exchange table, for the exchange system to pick up twice. A trigger that
 * sleeps before each insert holds the first send's transaction open while the second reads.
 */
import { setTimeout } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { keyLockId } from '../../adapters/platforms/front-db/key-locks.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import {
  cityExchangeTable,
  dropPgPrimaryKey,
  frontDbConfig,
  scratchPlaceForTests,
} from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

// A city's database may open every transaction REPEATABLE READ (`default_transaction_isolation`).
describe.each(['read committed', 'repeatable read'])(
  'front-db target on PostgreSQL (%s): one key sent twice at once, DELIVERY_KEY without a unique index',
  (isolation) => {
    const scratch = scratchPlaceForTests('postgres', 'lb_keyrace', async (place) => {
      const db = (place.connection as { database: string }).database;
      await cityExchangeTable(
        place.city,
        'UP_LIC_NOPK',
        `alter database "${db}" set default_transaction_isolation = '${isolation}'`,
        dropPgPrimaryKey('UP_LIC_NOPK'),
        `create function slow_insert() returns trigger language plpgsql as $$
         begin perform pg_sleep(0.7); return new; end $$`,
        'create trigger slow_insert before insert on "UP_LIC_NOPK" for each row execute procedure slow_insert()',
      );
    });

    /**
     * A target of its own, opened: as a worker on another host would hold it. A send's `timeoutMs`
     * bounds its wait for the other send's whole transaction (two rows of the trigger's sleep) and
     * for the city's lock, and that wait grows with the machine's load: 1.5 s idle, 6.7 s with
     * the machine's two cores loaded 37 deep. The fixture's 10 s left too little room: a fresh-clone
     * run of the whole suite failed once with the waiting send out of time (`timed out after 10000
     * ms`), which is not what these tests are about. 30 s, still inside the test's own time: a send that waits
     * without end still fails as out of time, and a deadlock as the database finds it (40P01).
     */
    const worker = async (): Promise<FrontDbTarget> => {
      const t = scratch.closedAfter(
        new FrontDbTarget(
          'city',
          frontDbConfig('postgres', scratch.place.where, 'UP_LIC_NOPK', { timeoutMs: 30_000 }),
        ),
      );
      await t.refuseUnfitTable();
      return t;
    };

    /** Each of `items` in the table once, written by one send and answered to the other as its duplicate. */
    const oneRowEach = async (items: DeliveryItem[], outcomes: DeliveryOutcome[][]): Promise<void> => {
      const keys = items.map((i) => i.key);
      const held = await scratch.place
        .city('UP_LIC_NOPK')
        .whereIn(COLUMNS.key, keys)
        .orderBy(COLUMNS.key)
        .pluck(COLUMNS.key);
      expect(held).toEqual(keys.sort());
      for (const item of items) {
        const both = outcomes.map((o) => o.find((x) => x.key === item.key));
        expect(both.map((o) => o?.state)).toEqual(['accepted', 'accepted']);
        expect(both.map((o) => o?.receipt?.duplicate).sort()).toEqual([false, true]);
        expect(new Set(both.map((o) => o?.receipt?.batchNo)).size).toBe(1);
      }
    };

    it('leaves one row, the later send answered as a duplicate of the first', async () => {
      const [a, b] = [await worker(), await worker()];
      const items = [deliveryItem(1, { target: 'city' }), deliveryItem(2, { target: 'city' })];
      await oneRowEach(items, await Promise.all([a.deliver(items), b.deliver([...items].reverse())]));
    });

    it('two sends of the same keys in other orders do not deadlock', async () => {
      const [a, b] = [await worker(), await worker()];
      const items = [deliveryItem(3, { target: 'city' }), deliveryItem(4, { target: 'city' })];
      const reversed = [...items].reverse();
      // The city holds the lock of the key `b` names first, so that `b` queues for it before `a`
      // starts: locks taken in each send's own order would leave `a` holding the other key, `b`
      // granted this one then waiting for `a`'s, and `a` for `b`'s — one send failed (40P01).
      const city = await scratch.place.city.transaction();
      await city.raw('select pg_advisory_xact_lock(?::bigint)', [
        String(keyLockId('UP_LIC_NOPK', reversed[0]?.key ?? '')),
      ]);
      const second = b.deliver(reversed);
      await setTimeout(300);
      const first = a.deliver(items);
      await setTimeout(300);
      await city.commit();
      await oneRowEach(items, await Promise.all([first, second]));
    });
  },
);
