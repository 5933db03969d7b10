/**
 * One license the front database refuses (a value longer than the city's column, a character its
 * column's character set cannot hold) does not hold back the licenses batched with it: they are
 * written and accepted, and only the refused one fails, with a reason that names no personal data.
 * A batch whose every row is refused still fails as a whole, as before.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { LicbridgeError } from '../../core/errors.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { scratchMariaDb, scratchPostgres } from './front-db-servers.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME, sampleLicense } from './license-fixture.js';

const TABLE = 'UP_LIC_CITY';
/** A rare character outside the Basic Multilingual Plane, as found in personal names. */
const RARE_NAME = '𠮷明';

/** Columns as a city's DBA declares them: a PAYLOAD column of 3000 characters. */
const COLUMNS_DDL = (q: string, text: string) =>
  `${q}DELIVERY_KEY${q} varchar(200) primary key, ${q}BATCH_NO${q} varchar(64), ${q}OPERATION_TYPE${q} varchar(1),
   ${q}EXCHANGE_TIME${q} varchar(30), ${q}DATA_SOURCE${q} varchar(64), ${q}LICENSE_ID${q} varchar(160),
   ${q}LICENSE_VERSION${q} integer, ${q}ZZBS${q} varchar(200), ${q}CZLX${q} varchar(4), ${q}ZZZT${q} varchar(4),
   ${q}PAYLOAD${q} varchar(3000), ${q}SIGNATURE${q} ${text}, ${q}EXCHANGE_STATUS${q} varchar(2)`;

interface Server {
  name: string;
  client: FrontDbTargetConfig['client'];
  /** Creates the database and the city's exchange table. */
  create(db: string): Promise<Record<string, string | number>>;
  drop(db: string): Promise<void>;
  keys(db: string): Promise<string[]>;
  /** Whether the table refuses characters outside the Basic Multilingual Plane. */
  bmpOnly: boolean;
}

const SERVERS: Server[] = [
  {
    name: 'PostgreSQL',
    client: 'postgres',
    bmpOnly: false,
    async create(db) {
      const settings = await scratchPostgres.create(db);
      await scratchPostgres.query(db, `create table "${TABLE}" (${COLUMNS_DDL('"', 'text')})`);
      return settings;
    },
    drop: scratchPostgres.drop,
    async keys(db) {
      const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: db });
      await c.connect();
      try {
        const r = await c.query(`select "DELIVERY_KEY" as k from "${TABLE}" order by 1`);
        return r.rows.map((x: { k: string }) => x.k);
      } finally {
        await c.end();
      }
    },
  },
  {
    name: 'MariaDB',
    client: 'mysql',
    bmpOnly: true,
    async create(db) {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      await c.query(`create database \`${db}\` character set utf8mb4`);
      // utf8 (3-byte) columns, as many MySQL 5 front databases still have.
      await c.query(`create table \`${db}\`.\`${TABLE}\` (${COLUMNS_DDL('`', 'text')}) character set utf8`);
      await c.end();
      return { host: '127.0.0.1', port: 3306, user: 'root', database: db };
    },
    drop: scratchMariaDb.drop,
    async keys(db) {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: db });
      try {
        const [rows] = await c.query(`select DELIVERY_KEY as k from \`${TABLE}\` order by 1`);
        return (rows as { k: string }[]).map((x) => x.k);
      } finally {
        await c.end();
      }
    },
  },
];

const longLicense = (n: number) =>
  sampleLicense(n, {
    surface: {
      businessItems: Array.from({ length: 400 }, (_, i) => `预包装食品销售${i}`),
      address: '黄岛区长江中路1号',
    },
  });

for (const server of SERVERS) {
  describe(`front-db target on ${server.name}: a row the database refuses`, () => {
    const db = `lb_front_rf_${randomBytes(5).toString('hex')}`;
    let target: FrontDbTarget;

    beforeAll(async () => {
      const connection = await server.create(db);
      target = new FrontDbTarget(
        'city',
        frontDbConfig(server.client, { connection }, TABLE, { batchSize: 100, concurrency: 2, attempts: 8 }),
      );
    });
    afterAll(async () => {
      await target?.close();
      await server.drop(db);
    });

    it('writes and accepts the others; only the refused license fails, retryable, without personal data', async () => {
      const items = [
        deliveryItem(1, { target: 'city' }),
        deliveryItem(2, { target: 'city', license: longLicense(2) }),
        deliveryItem(3, { target: 'city' }),
        ...(server.bmpOnly
          ? [
              deliveryItem(4, {
                target: 'city',
                license: sampleLicense(4, { holder: { name: RARE_NAME, idType: '111', id: HOLDER_ID } }),
              }),
            ]
          : []),
      ];
      const outcomes = await target.deliver(items);
      const refused = server.bmpOnly ? [items[1]?.key, items[3]?.key] : [items[1]?.key];
      for (const o of outcomes) {
        if (refused.includes(o.key)) {
          expect(o).toMatchObject({ state: 'failed', retryable: true });
          const text = JSON.stringify(o);
          for (const personal of [HOLDER_NAME, HOLDER_ID, RARE_NAME, '预包装食品销售'])
            expect(text).not.toContain(personal);
        } else expect(o.state, o.key).toBe('accepted');
      }
      expect(await server.keys(db)).toEqual([items[0]?.key, items[2]?.key]);
      // Replayed, the accepted ones are duplicates and the refused one is refused again.
      const again = await target.deliver(items);
      expect(again.filter((o) => o.state === 'accepted').map((o) => o.receipt?.duplicate)).toEqual([
        true,
        true,
      ]);
    });

    it('still fails the batch as a whole when every row is refused', async () => {
      const e = await target.deliver([deliveryItem(5, { target: 'city', license: longLicense(5) })]).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(LicbridgeError);
      expect((e as LicbridgeError).retryable).toBe(true);
    });
  });
}
