/**
 * A front database that cuts a license's identifier to a column narrower than it (MySQL without
 * strict mode does, with only a warning): the exchange system would file the license under a cut
 * number, so the delivery must not be reported accepted. A trigger stands in for the cut, on
 * SQLite and MariaDB; the cut row is taken out again and the rest of the batch accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { type FrontDbPlace, frontDbConfig, scratchPlace, sqlitePlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';

interface Place extends FrontDbPlace {
  /** Installs the cut: `column` is stored cut to 20 characters. */
  cut(column: string): Promise<void>;
}

const SERVERS: { name: string; open(): Promise<Place> }[] = [
  {
    name: 'SQLite',
    async open() {
      const front = await sqlitePlace('lb-stid');
      const { city } = front;
      return {
        ...front,
        async cut(column) {
          await city.raw(
            `create trigger cut_${column} after insert on ${TABLE} for each row begin
               update ${TABLE} set ${column} = substr(${column}, 1, 20) where rowid = new.rowid; end`,
          );
        },
      };
    },
  },
  {
    name: 'MariaDB',
    async open() {
      const front = await scratchPlace('mysql', 'lb_stid');
      const { city } = front;
      return {
        ...front,
        async cut(column) {
          await city.raw(
            `create trigger cut_${column} before insert on ${TABLE} for each row set new.${column} = left(new.${column}, 20)`,
          );
        },
      };
    },
  },
];

for (const server of SERVERS) {
  describe(`front-db target on ${server.name}: an identifier stored cut`, () => {
    let place: Place;
    let target: FrontDbTarget;

    beforeAll(async () => {
      place = await server.open();
      await ensureExchangeTable(place.city, TABLE);
      target = new FrontDbTarget(
        'city',
        frontDbConfig(place.client, place.where, TABLE, { batchSize: 100, attempts: 8 }),
      );
    });
    afterAll(async () => {
      await target?.close();
      await place?.dispose();
    });

    it('refuses each delivery whose ZZBS was cut, naming the column, and leaves no cut row', async () => {
      const first = deliveryItem(1, { target: 'city' });
      expect((await target.deliver([first]))[0]?.state).toBe('accepted');
      await place.cut('ZZBS');
      const items = [2, 3].map((n) => deliveryItem(n, { target: 'city' }));
      const outcomes = await target.deliver(items);
      expect(outcomes.map((o) => o.state)).toEqual(['rejected', 'rejected']);
      for (const o of outcomes) expect(o.reasons?.join(' ')).toContain('stored ZZBS other than written');
      const keys = (await place.city(TABLE).select('DELIVERY_KEY')).map(
        (r: { DELIVERY_KEY: string }) => r.DELIVERY_KEY,
      );
      expect(keys).toEqual([first.key]);
    });
  });
}
