/**
 * A front-db `table` named with its schema (`qzk.UP_LIC_DATA`; on MySQL and MariaDB, another
 * database than the connection's): `createTable` finds the table it made there on every later
 * open, and the checks at open look at that table, not at a same-named one of the connection's own
 * schema or database. On PostgreSQL (a second schema) and MariaDB (a second database).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTarget } from '../../adapters/platforms/create-target.js';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { scratchMariaDb } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

/** The front database; `city` is the city's own connection to it. */
interface Place extends ScratchPlace {
  /** The other schema (PostgreSQL) or database (MariaDB) the exchange tables are named in. */
  other: string;
}

const SERVERS: { name: string; open(): Promise<Place> }[] = [
  {
    name: 'PostgreSQL',
    async open() {
      const front = await scratchPlace('postgres', 'lb_qual');
      const other = 'lb_other';
      await front.city.raw(`create schema ${other}`);
      return { ...front, other };
    },
  },
  {
    name: 'MariaDB',
    async open() {
      const front = await scratchPlace('mysql', 'lb_qual');
      const other = `lb_qual_other_${randomBytes(4).toString('hex')}`;
      await scratchMariaDb.create(other);
      return {
        ...front,
        other,
        async dispose() {
          await front.dispose();
          await scratchMariaDb.drop(other);
        },
      };
    },
  },
];

for (const server of SERVERS) {
  describe(`front-db table named with its schema (${server.name})`, () => {
    let place: Place;
    const opened: TargetAdapter[] = [];

    const config = (table: string, extra: Partial<FrontDbTargetConfig> = {}): FrontDbTargetConfig =>
      frontDbConfig(place.client, place.where, table, extra);
    const open = async (cfg: FrontDbTargetConfig): Promise<TargetAdapter> => {
      const t = await createTarget('city-front', cfg);
      opened.push(t);
      return t;
    };
    /** The error opening the target throws (fails the test when it opens). */
    const refusal = async (cfg: FrontDbTargetConfig): Promise<LicbridgeError> => {
      const error = await open(cfg).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LicbridgeError);
      return error as LicbridgeError;
    };
    /** An exchange table as the city made it, in the other schema or the connection's own. */
    const cityTable = async (table: string, dataSourceWidth?: number) => {
      await ensureExchangeTable(place.city, table);
      if (dataSourceWidth === undefined) return;
      const dot = table.indexOf('.');
      const builder = dot < 0 ? place.city.schema : place.city.schema.withSchema(table.slice(0, dot));
      await builder.alterTable(table.slice(dot + 1), (t) => {
        t.string('DATA_SOURCE', dataSourceWidth).notNullable().alter();
      });
    };
    const rowsIn = async (schema: string, table: string) =>
      Number((await place.city(table).withSchema(schema).count({ n: '*' }))[0]?.n);

    beforeAll(async () => {
      place = await server.open();
    });
    afterAll(async () => {
      await Promise.all(opened.map((t) => t.close()));
      await place?.dispose();
    });

    it('finds the table createTable made there when the target opens again, and delivers into it', async () => {
      const table = `${place.other}.UP_LIC_QUAL`;
      const first = await open(config(table, { createTable: true }));
      expect((await first.deliver([deliveryItem(1, { target: 'city-front' })])).map((o) => o.state)).toEqual([
        'accepted',
      ]);
      await first.close();
      // Opened again (the next run, another worker): the table is there, and is written.
      const again = await open(config(table, { createTable: true }));
      expect((await again.deliver([deliveryItem(2, { target: 'city-front' })])).map((o) => o.state)).toEqual([
        'accepted',
      ]);
      expect(await rowsIn(place.other, 'UP_LIC_QUAL')).toBe(2);
      expect(await place.city.schema.hasTable('UP_LIC_QUAL')).toBe(false);
    });

    it('refuses a dataSource wider than the named table holds, whatever a same-named table elsewhere holds', async () => {
      await cityTable('UP_LIC_WIDE');
      await cityTable(`${place.other}.UP_LIC_WIDE`, 10);
      const e = await refusal(config(`${place.other}.UP_LIC_WIDE`));
      expect(e.code).toBe(ErrorCodes.CONFIG_INVALID);
      expect(e.message).toContain(`column DATA_SOURCE of exchange table ${place.other}.UP_LIC_WIDE holds 10`);
    });

    it('opens and delivers into the named table when only a same-named table elsewhere is narrow', async () => {
      await cityTable('UP_LIC_NARROW', 10);
      await cityTable(`${place.other}.UP_LIC_NARROW`);
      const t = await open(config(`${place.other}.UP_LIC_NARROW`));
      expect((await t.deliver([deliveryItem(3, { target: 'city-front' })])).map((o) => o.state)).toEqual([
        'accepted',
      ]);
      expect(await rowsIn(place.other, 'UP_LIC_NARROW')).toBe(1);
    });

    it('names a table missing where it is named, though a same-named one is in the connection’s own', async () => {
      await cityTable('UP_LIC_ELSEWHERE');
      const e = await refusal(config(`${place.other}.UP_LIC_ELSEWHERE`));
      expect(e.code).toBe(ErrorCodes.CONFIG_INVALID);
      expect(e.message).toContain(
        `exchange table ${place.other}.UP_LIC_ELSEWHERE is not in the front database`,
      );
    });
  });
}
