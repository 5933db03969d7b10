/**
 * A front database that cuts a license's identifier to a column narrower than it (MySQL without
 * strict mode does, with only a warning): the exchange system would file the license under a cut
 * number, so the delivery must not be reported accepted. A trigger stands in for the cut, on
 * SQLite and MariaDB; the cut row is taken out again and the rest of the batch accepted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexModule, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { scratchMariaDb } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';

interface Place {
  client: FrontDbTargetConfig['client'];
  where: Pick<FrontDbTargetConfig, 'connection' | 'path'>;
  city: Knex;
  /** Installs the cut: `column` is stored cut to 20 characters. */
  cut(column: string): Promise<void>;
  dispose(): Promise<void>;
}

const SERVERS: { name: string; open(): Promise<Place> }[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'lb-stid-'));
      const path = join(dir, 'front.db');
      const city = knexModule({
        client: 'better-sqlite3',
        connection: { filename: path },
        useNullAsDefault: true,
      });
      return {
        client: 'sqlite',
        where: { path },
        city,
        async cut(column) {
          await city.raw(
            `create trigger cut_${column} after insert on ${TABLE} for each row begin
               update ${TABLE} set ${column} = substr(${column}, 1, 20) where rowid = new.rowid; end`,
          );
        },
        async dispose() {
          await city.destroy();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'MariaDB',
    async open() {
      const db = `lb_stid_${randomBytes(4).toString('hex')}`;
      const connection = await scratchMariaDb.create(db);
      const city = knexModule({ client: 'mysql2', connection });
      return {
        client: 'mysql',
        where: { connection },
        city,
        async cut(column) {
          await city.raw(
            `create trigger cut_${column} before insert on ${TABLE} for each row set new.${column} = left(new.${column}, 20)`,
          );
        },
        async dispose() {
          await city.destroy();
          await scratchMariaDb.drop(db);
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
      target = new FrontDbTarget('city', {
        kind: 'front-db',
        client: place.client,
        ...place.where,
        table: TABLE,
        dataSource: '11370211MB1234567X',
        createTable: false,
        batchSize: 100,
        timeoutMs: 10_000,
        concurrency: 1,
        attempts: 8,
      });
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
