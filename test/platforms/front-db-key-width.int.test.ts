/**
 * A delivery key longer than the city's `DELIVERY_KEY` column: MySQL and MariaDB without strict
 * mode cut it to the column with only a warning, and the exchange system picks up a row under
 * another key, while the delivery is never found again; a strict database refuses the row on
 * every retry. The target refuses such a delivery before writing it, naming the table, the
 * column, its width and the key's length; the other deliveries of the batch are written.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const SERVERS = [
  {
    name: 'MariaDB without strict mode',
    client: 'mysql' as const,
    narrow: (t: string) => `alter table ${t} modify DELIVERY_KEY varchar(20) not null`,
    session: "set session sql_mode = ''",
  },
  {
    name: 'PostgreSQL',
    client: 'postgres' as const,
    narrow: (t: string) => `alter table "${t}" alter column "DELIVERY_KEY" type varchar(20)`,
    session: undefined,
  },
];

for (const s of SERVERS) {
  describe(`front-db target on ${s.name}: a delivery key wider than DELIVERY_KEY`, () => {
    let place: ScratchPlace;
    let target: FrontDbTarget;

    beforeAll(async () => {
      place = await scratchPlace(s.client, 'lb_keyw');
      await cityExchangeTable(place.city, 'UP_LIC_KEYW', s.narrow('UP_LIC_KEYW'));
      target = new FrontDbTarget('city', frontDbConfig(s.client, place.where, 'UP_LIC_KEYW'));
      if (s.session) {
        // The target's one pooled connection (concurrency 1) made non-strict, as a city's server may be.
        const { k } = await (
          target as unknown as { connections: { take(): Promise<{ k: Knex }> } }
        ).connections.take();
        await k.raw(s.session);
      }
    });
    afterAll(async () => {
      await target?.close();
      await place?.dispose();
    });

    it('refuses the long key before writing, and writes the others', async () => {
      const short = deliveryItem(1, { target: 'city' });
      const long = deliveryItem(2, { target: 'city-front-database' });
      const outcomes = await target.deliver([short, long]);
      expect(outcomes.map((o) => [o.key, o.state, o.retryable])).toEqual([
        [short.key, 'accepted', undefined],
        [long.key, 'rejected', undefined],
      ]);
      const reason = String(outcomes[1]?.reasons);
      expect(reason).toMatch(
        /exchange table UP_LIC_KEYW column DELIVERY_KEY holds 20 characters, and the delivery key is 32/,
      );
      expect(reason).not.toContain(long.key);
      const rows: { DELIVERY_KEY: string }[] = await place.city('UP_LIC_KEYW').select('DELIVERY_KEY');
      expect(rows.map((r) => r.DELIVERY_KEY)).toEqual([short.key]);
    });
  });
}
