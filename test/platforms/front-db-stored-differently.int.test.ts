/**
 * A front database that stores something other than what was written — MySQL without strict mode
 * cuts a value to its column with only a warning and turns characters its column's character set
 * lacks into `?`; SQL Server does the latter in any mode for a varchar column — must not have the
 * delivery reported accepted. Triggers stand in for those conversions here. The altered row is
 * taken out again before the exchange system can pick it up, the delivery is refused with a reason
 * that names the column and no personal data, and the other licenses of the batch are accepted.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { scratchMariaDb, scratchPostgres } from './front-db-servers.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME, sampleLicense } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';
/** The holder whose name the "database" cannot hold: its rare character becomes `?`. */
const RARE_NAME = '王䶮';
const RARE_CHAR = '䶮';

interface Server {
  name: string;
  client: FrontDbTargetConfig['client'];
  create(db: string): Promise<Record<string, string | number>>;
  /** Installs the conversion: PAYLOAD loses RARE_CHAR to `?`, and is cut to 2000 characters. */
  convert(db: string): Promise<void>;
  drop(db: string): Promise<void>;
  rows(db: string): Promise<{ k: string; p: string }[]>;
}

const SERVERS: Server[] = [
  {
    name: 'PostgreSQL',
    client: 'postgres',
    create: scratchPostgres.create,
    async convert(db) {
      const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: db });
      await c.connect();
      await c.query(`create function lossy() returns trigger language plpgsql as $$
        begin new."PAYLOAD" := left(replace(new."PAYLOAD", '${RARE_CHAR}', '?'), 2000); return new; end $$`);
      await c.query(`create trigger lossy before insert on "${TABLE}" for each row execute function lossy()`);
      await c.end();
    },
    drop: scratchPostgres.drop,
    async rows(db) {
      const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: db });
      await c.connect();
      try {
        return (await c.query(`select "DELIVERY_KEY" as k, "PAYLOAD" as p from "${TABLE}" order by 1`)).rows;
      } finally {
        await c.end();
      }
    },
  },
  {
    name: 'MariaDB',
    client: 'mysql',
    create: scratchMariaDb.create,
    async convert(db) {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: db });
      await c.query(
        `create trigger lossy before insert on \`${TABLE}\` for each row
         set new.PAYLOAD = left(replace(new.PAYLOAD, '${RARE_CHAR}', '?'), 2000)`,
      );
      await c.end();
    },
    drop: scratchMariaDb.drop,
    async rows(db) {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: db });
      try {
        const [rows] = await c.query(`select DELIVERY_KEY as k, PAYLOAD as p from \`${TABLE}\` order by 1`);
        return rows as { k: string; p: string }[];
      } finally {
        await c.end();
      }
    },
  },
];

const longLicense = (n: number) =>
  sampleLicense(n, {
    surface: {
      businessItems: Array.from({ length: 300 }, (_, i) => `预包装食品销售${i}`),
      address: '黄岛区长江中路1号',
    },
  });

for (const server of SERVERS) {
  describe(`front-db target on ${server.name}: a row stored other than written`, () => {
    const db = `lb_front_sd_${randomBytes(5).toString('hex')}`;
    let target: FrontDbTarget;
    const config = (connection: Record<string, string | number>): FrontDbTargetConfig => ({
      kind: 'front-db',
      client: server.client,
      connection,
      table: TABLE,
      dataSource: '11370211MB1234567X',
      createTable: true,
      batchSize: 100,
      timeoutMs: 10_000,
      concurrency: 2,
      attempts: 8,
    });

    beforeAll(async () => {
      target = new FrontDbTarget('city', config(await server.create(db)));
      // Creates the table; then the "database" starts converting what it stores.
      expect((await target.deliver([deliveryItem(1, { target: 'city' })]))[0]?.state).toBe('accepted');
      await server.convert(db);
    });
    afterAll(async () => {
      await target?.close();
      await server.drop(db);
    });

    it('refuses the altered deliveries, leaves no altered row, and accepts the rest', async () => {
      const rare = deliveryItem(2, {
        target: 'city',
        license: sampleLicense(2, { holder: { name: RARE_NAME, idType: '111', id: HOLDER_ID } }),
      });
      const long = deliveryItem(3, { target: 'city', license: longLicense(3) });
      const plain = deliveryItem(4, { target: 'city' });
      const outcomes = await target.deliver([rare, long, plain]);
      expect(outcomes.map((o) => [o.key, o.state])).toEqual([
        [rare.key, 'rejected'],
        [long.key, 'rejected'],
        [plain.key, 'accepted'],
      ]);
      for (const o of outcomes.slice(0, 2)) {
        expect(o.reasons?.join(' ')).toContain('PAYLOAD');
        const text = JSON.stringify(o);
        for (const personal of [HOLDER_NAME, HOLDER_ID, RARE_NAME, '预包装食品销售'])
          expect(text).not.toContain(personal);
      }
      const rows = await server.rows(db);
      expect(rows.map((r) => r.k)).toEqual([deliveryItem(1, { target: 'city' }).key, plain.key]);
      expect(rows.every((r) => !r.p.includes('?'))).toBe(true);
    });
  });
}
