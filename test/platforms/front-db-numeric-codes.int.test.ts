/**
 * A city's exchange table whose CZLX and ZZZT are numeric columns (PostgreSQL `numeric`, MariaDB
 * `DECIMAL`): the code `01` is stored as the number 1, which these drivers hand back as the text
 * `1`. That is the code as written, not a row stored other than written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, type FrontDbPlace, frontDbConfig, scratchPlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';

const SERVERS: {
  name: string;
  client: 'postgres' | 'mysql';
  numeric(column: string): string;
}[] = [
  {
    name: 'PostgreSQL',
    client: 'postgres',
    numeric: (c) => `alter table "${TABLE}" alter column "${c}" type numeric(2) using "${c}"::numeric`,
  },
  {
    name: 'MariaDB',
    client: 'mysql',
    numeric: (c) => `alter table ${TABLE} modify ${c} decimal(2,0) not null`,
  },
];

for (const s of SERVERS) {
  describe(`front-db target on ${s.name}: numeric CZLX and ZZZT columns`, () => {
    let place: FrontDbPlace;
    let target: FrontDbTarget;

    beforeAll(async () => {
      place = await scratchPlace(s.client, 'lb_numc');
      await cityExchangeTable(place.city, TABLE, s.numeric('CZLX'), s.numeric('ZZZT'));
      target = new FrontDbTarget(
        'city',
        frontDbConfig(s.client, place.where, TABLE, { batchSize: 100, attempts: 8 }),
      );
    });
    afterAll(async () => {
      await target?.close();
      await place?.dispose();
    });

    it('accepts a row whose codes the columns hold as numbers', async () => {
      const items = [1, 2].map((n) => deliveryItem(n, { target: 'city' }));
      const outcomes = await target.deliver(items);
      expect(outcomes.map((o) => [o.state, o.reasons])).toEqual([
        ['accepted', undefined],
        ['accepted', undefined],
      ]);
      const rows = await place.city(TABLE).select('DELIVERY_KEY');
      expect(rows).toHaveLength(2);
    });
  });
}
