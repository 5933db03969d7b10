/**
 * The front-database target honours the target's `timeoutMs`: a write that cannot finish (the
 * exchange table locked by the city's exchange system, a stalled server) fails as retryable
 * within that time, instead of holding the delivery job — and the deliveries it leased — forever.
 * After the lock is gone the same deliveries land once.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { LicbridgeError } from '../../core/errors.js';
import { scratchMariaDb, scratchPostgres } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';
const TIMEOUT_MS = 1_000;

/** A session of the front database's own that holds a lock on the exchange table until released. */
interface Locker {
  release(): Promise<void>;
}

interface Server {
  name: string;
  client: FrontDbTargetConfig['client'];
  create(db: string): Promise<Record<string, string | number>>;
  drop(db: string): Promise<void>;
  lock(db: string): Promise<Locker>;
  count(db: string): Promise<number>;
}

const SERVERS: Server[] = [
  {
    name: 'PostgreSQL',
    client: 'postgres',
    create: scratchPostgres.create,
    drop: scratchPostgres.drop,
    async lock(db) {
      const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: db });
      await c.connect();
      await c.query('begin');
      await c.query(`lock table "${TABLE}" in access exclusive mode`);
      return {
        async release() {
          await c.query('rollback');
          await c.end();
        },
      };
    },
    async count(db) {
      const c = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: db });
      await c.connect();
      try {
        return Number((await c.query(`select count(*) as n from "${TABLE}"`)).rows[0].n);
      } finally {
        await c.end();
      }
    },
  },
  {
    name: 'MariaDB',
    client: 'mysql',
    create: scratchMariaDb.create,
    drop: scratchMariaDb.drop,
    async lock(db) {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: db });
      await c.query(`lock tables \`${TABLE}\` write`);
      return {
        async release() {
          await c.query('unlock tables');
          await c.end();
        },
      };
    },
    async count(db) {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: db });
      try {
        const [rows] = await c.query(`select count(*) as n from \`${TABLE}\``);
        return Number((rows as { n: number }[])[0]?.n);
      } finally {
        await c.end();
      }
    },
  },
];

/** The promise's outcome, or `hung` when it has not settled within `ms`. */
async function within(ms: number, p: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  try {
    return await Promise.race([
      p.then(
        (v) => v,
        (e: unknown) => e,
      ),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

for (const server of SERVERS) {
  describe(`front-db target on ${server.name}: timeoutMs`, () => {
    const db = `lb_front_to_${randomBytes(5).toString('hex')}`;
    let target: FrontDbTarget;

    beforeAll(async () => {
      const connection = await server.create(db);
      const config: FrontDbTargetConfig = {
        kind: 'front-db',
        client: server.client,
        connection,
        table: TABLE,
        dataSource: '11370211MB1234567X',
        createTable: true,
        batchSize: 10,
        timeoutMs: TIMEOUT_MS,
        concurrency: 2,
        attempts: 8,
      };
      target = new FrontDbTarget('city', config);
      // Opened first, outside any send's time: a send's `timeoutMs` counts from its start, so the
      // first one would also spend it loading the driver, creating the table and checking its
      // columns, which under a loaded machine outlasted 1000 ms and failed this setup.
      await target.refuseUnfitTable();
      // The table exists and the pool is warm before the lock is taken.
      expect((await target.deliver([deliveryItem(1, { target: 'city' })]))[0]?.state).toBe('accepted');
    });
    afterAll(async () => {
      await target?.close();
      await server.drop(db);
    });

    it('fails a write held up by a lock as retryable within timeoutMs, then delivers once the lock is gone', async () => {
      const items = [deliveryItem(2, { target: 'city' }), deliveryItem(3, { target: 'city' })];
      const locker = await server.lock(db);
      let outcome: unknown;
      try {
        outcome = await within(TIMEOUT_MS * 6, target.deliver(items));
      } finally {
        await locker.release();
      }
      expect(outcome, 'the delivery returned while the table was locked').not.toBe('hung');
      expect(outcome).toBeInstanceOf(LicbridgeError);
      expect((outcome as LicbridgeError).retryable).toBe(true);
      expect((outcome as LicbridgeError).message).toContain('target city');
      expect((outcome as LicbridgeError).message).toContain(`timed out after ${TIMEOUT_MS} ms`);

      const again = await target.deliver(items);
      expect(again.map((o) => o.state)).toEqual(['accepted', 'accepted']);
      expect(await server.count(db)).toBe(3);
    });
  });
}
