/**
 * The front-database target (前置库) on PostgreSQL and on MariaDB, each in a database created for
 * this file: exchange rows with batch number, operation type, timestamp and data source; a replayed
 * batch writes nothing twice; an unreachable or failing database is a retryable error that never
 * shows the personal data of the rows.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { LicbridgeError } from '../../core/errors.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME, sampleLicense } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';
const DATA_SOURCE = '11370211MB1234567X';

interface Server {
  name: string;
  client: FrontDbTargetConfig['client'];
  createDatabase(name: string): Promise<Record<string, string | number>>;
  dropDatabase(name: string): Promise<void>;
  /** Rows of the exchange table, ordered by key. */
  rows(name: string, table: string): Promise<Record<string, unknown>[]>;
  /** Creates an exchange table whose PAYLOAD column is too short for any license. */
  createNarrowTable(name: string, table: string): Promise<void>;
  unreachable: Record<string, string | number>;
}

const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/test';

async function withPg<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function withMaria<T>(fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const SERVERS: Server[] = [
  {
    name: 'PostgreSQL',
    client: 'postgres',
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`create database "${name}"`);
      await c.end();
      return { host: '127.0.0.1', port: 5432, user: 'postgres', database: name };
    },
    async dropDatabase(name) {
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
    rows: (name, table) =>
      withPg(name, async (c) => (await c.query(`select * from "${table}" order by "DELIVERY_KEY"`)).rows),
    createNarrowTable: (name, table) =>
      withPg(name, async (c) => {
        await c.query(
          `create table "${table}" ("DELIVERY_KEY" varchar(200) primary key, "BATCH_NO" varchar(64), "OPERATION_TYPE" varchar(1),
           "EXCHANGE_TIME" varchar(30), "DATA_SOURCE" varchar(64), "LICENSE_ID" varchar(160), "LICENSE_VERSION" integer,
           "ZZBS" varchar(200), "CZLX" varchar(4), "ZZZT" varchar(4), "PAYLOAD" varchar(10), "SIGNATURE" text, "EXCHANGE_STATUS" varchar(2))`,
        );
      }),
    unreachable: { host: '127.0.0.1', port: 1, user: 'postgres', database: 'none' },
  },
  {
    name: 'MariaDB',
    client: 'mysql',
    async createDatabase(name) {
      await withMaria((c) => c.query(`create database \`${name}\` character set utf8mb4`));
      return { host: '127.0.0.1', port: 3306, user: 'root', database: name };
    },
    async dropDatabase(name) {
      await withMaria((c) => c.query(`drop database if exists \`${name}\``));
    },
    rows: (name, table) =>
      withMaria(async (c) => {
        const [rows] = await c.query(`select * from \`${name}\`.\`${table}\` order by DELIVERY_KEY`);
        return rows as Record<string, unknown>[];
      }),
    createNarrowTable: (name, table) =>
      withMaria(async (c) => {
        await c.query(
          `create table \`${name}\`.\`${table}\` (DELIVERY_KEY varchar(200) primary key, BATCH_NO varchar(64), OPERATION_TYPE varchar(1),
           EXCHANGE_TIME varchar(30), DATA_SOURCE varchar(64), LICENSE_ID varchar(160), LICENSE_VERSION integer,
           ZZBS varchar(200), CZLX varchar(4), ZZZT varchar(4), PAYLOAD varchar(10), SIGNATURE text, EXCHANGE_STATUS varchar(2))
           character set utf8mb4`,
        );
      }),
    unreachable: { host: '127.0.0.1', port: 1, user: 'root', database: 'none' },
  },
];

function config(
  client: FrontDbTargetConfig['client'],
  connection: Record<string, string | number>,
  overrides: Partial<FrontDbTargetConfig> = {},
): FrontDbTargetConfig {
  return {
    kind: 'front-db',
    client,
    connection,
    table: TABLE,
    dataSource: DATA_SOURCE,
    createTable: true,
    batchSize: 2,
    timeoutMs: 10_000,
    concurrency: 2,
    attempts: 8,
    ...overrides,
  };
}

function everything(e: LicbridgeError): string {
  const cause = e.cause instanceof Error ? `${e.cause.message} ${e.cause.stack ?? ''}` : String(e.cause);
  return `${e.message} ${e.stack ?? ''} ${JSON.stringify(e)} ${JSON.stringify(e.context)} ${cause}`;
}

async function failure(p: Promise<unknown>): Promise<LicbridgeError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof LicbridgeError)) throw new Error(`expected a LicbridgeError, got ${String(e)}`);
  return e;
}

for (const server of SERVERS) {
  describe(`front-db target on ${server.name}`, () => {
    const database = `lb_front_${randomBytes(5).toString('hex')}`;
    let connection: Record<string, string | number>;
    let target: FrontDbTarget;

    beforeAll(async () => {
      connection = await server.createDatabase(database);
      target = new FrontDbTarget('city', config(server.client, connection));
    });
    afterAll(async () => {
      await target?.close();
      await server.dropDatabase(database);
    });

    const items = [
      deliveryItem(1, { target: 'city' }),
      deliveryItem(2, { target: 'city' }),
      deliveryItem(3, { target: 'city' }),
      deliveryItem(1, { target: 'city', version: 2, operation: 'update' }),
      deliveryItem(2, {
        target: 'city',
        version: 2,
        operation: 'revoke',
        license: sampleLicense(2, { status: 'revoked' }),
      }),
      deliveryItem(3, { target: 'city', version: 2, operation: 'cancel' }),
      deliveryItem(3, { target: 'city', version: 3, operation: 'suspend' }),
    ];

    it('writes one exchange row per delivery with batch number, I/U/D, timestamp and data source', async () => {
      const before = Date.now();
      const outcomes = await target.deliver(items);
      const after = Date.now();
      expect(outcomes.map((o) => [o.key, o.state])).toEqual(items.map((i) => [i.key, 'accepted']));
      const batches = new Set(outcomes.map((o) => (o.receipt as { batchNo: string }).batchNo));
      expect(batches.size).toBe(1);
      expect(outcomes.every((o) => (o.receipt as { duplicate: boolean }).duplicate === false)).toBe(true);

      const rows = await server.rows(database, TABLE);
      expect(rows).toHaveLength(items.length);
      const byKey = new Map(rows.map((r) => [r.DELIVERY_KEY as string, r]));
      const expected: Record<string, string> = {
        'lic-000001:1:city': 'I',
        'lic-000002:1:city': 'I',
        'lic-000003:1:city': 'I',
        'lic-000001:2:city': 'U',
        'lic-000002:2:city': 'D', // revoke ends the license: the exchange system's delete
        'lic-000003:2:city': 'D', // cancel likewise
        'lic-000003:3:city': 'U',
      };
      for (const item of items) {
        const row = byKey.get(item.key);
        expect(row, item.key).toBeDefined();
        expect(row).toMatchObject({
          BATCH_NO: [...batches][0],
          OPERATION_TYPE: expected[item.key],
          DATA_SOURCE: DATA_SOURCE,
          LICENSE_ID: item.licenseId,
          LICENSE_VERSION: item.version,
          ZZBS: item.license.identifier,
          EXCHANGE_STATUS: '0',
        });
        // Stamped while the delivery ran, in milliseconds: between the clock reads around it.
        const time = Date.parse(row?.EXCHANGE_TIME as string);
        expect(time).toBeGreaterThanOrEqual(before);
        expect(time).toBeLessThanOrEqual(after);
        const payload = JSON.parse(row?.PAYLOAD as string) as Record<string, unknown>;
        expect(payload.zzbs).toBe(item.license.identifier);
        expect(payload.czztdm).toBe(HOLDER_ID);
        expect(JSON.parse(row?.SIGNATURE as string)).toEqual(item.signature);
      }
      expect(byKey.get('lic-000002:2:city')).toMatchObject({ CZLX: '07', ZZZT: '07' });
      expect(byKey.get('lic-000001:1:city')).toMatchObject({ CZLX: '01', ZZZT: '01' });
    });

    it('writes nothing again for keys it already holds, and answers them with their first batch', async () => {
      const first = await server.rows(database, TABLE);
      const again = await target.deliver([...items.slice(0, 3), deliveryItem(4, { target: 'city' })]);
      expect(again.map((o) => o.state)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
      expect(again.slice(0, 3).map((o) => (o.receipt as { duplicate: boolean }).duplicate)).toEqual([
        true,
        true,
        true,
      ]);
      expect(again[3]?.receipt).toMatchObject({ duplicate: false });

      const rows = await server.rows(database, TABLE);
      expect(rows).toHaveLength(items.length + 1);
      // The rows already there are untouched: same batch, same time.
      for (const r of first) {
        expect(rows.find((x) => x.DELIVERY_KEY === r.DELIVERY_KEY)).toEqual(r);
      }
      // A second adapter (another worker) replaying the same batch adds nothing either.
      const other = new FrontDbTarget('city', config(server.client, connection));
      try {
        await other.deliver(items);
      } finally {
        await other.close();
      }
      expect(await server.rows(database, TABLE)).toHaveLength(items.length + 1);
    });

    it('reports a database it cannot reach as a retryable error', async () => {
      const closed = new FrontDbTarget('city', config(server.client, server.unreachable));
      try {
        const err = await failure(closed.deliver([deliveryItem(9, { target: 'city' })]));
        expect(err.retryable).toBe(true);
        expect(err.message).toContain('target city: reaching the front database failed');
        const text = everything(err);
        expect(text).not.toContain(HOLDER_NAME);
        expect(text).not.toContain(HOLDER_ID);
      } finally {
        await closed.close();
      }
    });

    it('keeps personal data out of the error when the database refuses the rows', async () => {
      const narrow = 'UP_LIC_NARROW';
      await server.createNarrowTable(database, narrow);
      const t = new FrontDbTarget(
        'city',
        config(server.client, connection, { table: narrow, createTable: false }),
      );
      try {
        const err = await failure(t.deliver([deliveryItem(7, { target: 'city' })]));
        expect(err.retryable).toBe(true);
        const text = everything(err);
        expect(text).not.toContain(HOLDER_NAME);
        expect(text).not.toContain(HOLDER_ID);
        expect(text).not.toContain('黄岛区长江中路1号');
      } finally {
        await t.close();
      }
      expect(await server.rows(database, narrow)).toEqual([]);
    });
  });
}
