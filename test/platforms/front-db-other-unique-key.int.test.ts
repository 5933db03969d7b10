/**
 * A city's exchange table with a unique index of its own besides `DELIVERY_KEY` (one row per
 * license version, `LICENSE_ID` + `LICENSE_VERSION`), and a second delivery of a version already
 * there under another key (a second target on the same table, a renamed one). MySQL's
 * `on duplicate key update` fires on any unique index: with `DELIVERY_KEY = VALUES(DELIVERY_KEY)`
 * it moved the first delivery's row to the new key, and the new delivery found "its" row (the old
 * batch) and was answered an accepted duplicate — a row the exchange system holds under a key it
 * was never written with, and the first delivery's row gone. The row is left as it was, and the
 * new delivery is not answered accepted, as on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const SERVERS = [
  {
    name: 'MariaDB',
    client: 'mysql' as const,
    unique: (t: string) => `alter table ${t} add unique index one_per_version (LICENSE_ID, LICENSE_VERSION)`,
  },
  {
    name: 'PostgreSQL',
    client: 'postgres' as const,
    unique: (t: string) => `create unique index one_per_version on "${t}" ("LICENSE_ID", "LICENSE_VERSION")`,
  },
];

for (const s of SERVERS) {
  describe(`front-db target on ${s.name}: a unique index besides DELIVERY_KEY`, () => {
    let place: ScratchPlace;
    let first: FrontDbTarget;
    let second: FrontDbTarget;

    beforeAll(async () => {
      place = await scratchPlace(s.client, 'lb_uniq');
      await cityExchangeTable(place.city, 'UP_LIC_UNIQ', s.unique('UP_LIC_UNIQ'));
      first = new FrontDbTarget('city', frontDbConfig(s.client, place.where, 'UP_LIC_UNIQ'));
      second = new FrontDbTarget('city-b', frontDbConfig(s.client, place.where, 'UP_LIC_UNIQ'));
    });
    afterAll(async () => {
      await first?.close();
      await second?.close();
      await place?.dispose();
    });

    it('leaves the row of the other key as it was, and does not answer the new key accepted', async () => {
      const a = deliveryItem(1, { target: 'city' });
      const b = deliveryItem(1, { target: 'city-b' });
      const [written] = await first.deliver([a]);
      expect(written?.state).toBe('accepted');
      const before: { DELIVERY_KEY: string; BATCH_NO: string }[] = await place
        .city('UP_LIC_UNIQ')
        .select('DELIVERY_KEY', 'BATCH_NO');
      expect(before.map((r) => r.DELIVERY_KEY)).toEqual([a.key]);

      const [again] = await second
        .deliver([b])
        .catch((e: unknown) => [{ key: b.key, state: 'thrown', message: String(e) }]);
      expect(again?.state).not.toBe('accepted');
      const after: { DELIVERY_KEY: string; BATCH_NO: string }[] = await place
        .city('UP_LIC_UNIQ')
        .select('DELIVERY_KEY', 'BATCH_NO');
      expect(after).toEqual(before);
    });
  });
}
