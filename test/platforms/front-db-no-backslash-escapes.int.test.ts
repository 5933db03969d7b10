/**
 * A MySQL or MariaDB front database whose `sql_mode` holds NO_BACKSLASH_ESCAPES reads a backslash
 * in a string literal as itself. knex hands each bound value to mysql2, which writes it into the
 * statement's text escaping a backslash as `\\` and a quote as `\'`: under that mode a holder's
 * name `A\1` was stored as `A\\1`, a payload's JSON (which escapes a backslash itself) with its
 * backslashes doubled, and a value holding a quote ended its literal early (a syntax error, or its
 * text read as SQL). The server here keeps the default mode; a city's server with the mode is
 * played by connections whose session starts in it, before licbridge's own setup of them.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { DeliveryItem } from '../../adapters/platforms/target.js';
import { scratchMariaDb } from './front-db-servers.js';
import { deliveryItem, sampleLicense } from './license-fixture.js';

const TABLE = 'UP_LIC_DATA';
const ACCEPTED = '1';

/** Each a literal's escape or end: backslash, quote, both, two backslashes, `\0` as text, NUL. */
const VALUES = ['\\', "'", "\\'", '\\\\', '\\0', '\u0000'];

type RawConnection = {
  query(sql: string, cb: (e: Error | null, rows?: { m: string }[]) => void): void;
};
interface ClientProto {
  acquireRawConnection(this: unknown): Promise<RawConnection>;
}

// knex's mysql2 client, as the target's knex loads it (CommonJS, one module instance).
const require = createRequire(import.meta.url);
const mysql2Client = require('knex/lib/dialects/mysql2/index.js') as { prototype: ClientProto };
const acquire = mysql2Client.prototype.acquireRawConnection;

/** The sql_mode of each session knex opened, as licbridge's own setup of it found it. */
const modes: string[] = [];

const run = (conn: RawConnection, sql: string) =>
  new Promise<{ m: string }[]>((resolve, reject) =>
    conn.query(sql, (e, rows) => (e ? reject(e) : resolve(rows ?? []))),
  );

const db = `lb_front_nbe_${randomBytes(5).toString('hex')}`;
let connection: Record<string, string | number>;

beforeAll(async () => {
  connection = await scratchMariaDb.create(db);
  // Every connection knex makes starts in the mode, as on a server configured with it.
  mysql2Client.prototype.acquireRawConnection = async function (this: unknown) {
    const conn = await acquire.call(this);
    await run(conn, "SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
    const [row] = await run(conn, 'SELECT @@SESSION.sql_mode AS m');
    modes.push(row?.m ?? '');
    return conn;
  };
});
afterAll(async () => {
  mysql2Client.prototype.acquireRawConnection = acquire;
  await scratchMariaDb.drop(db);
});

const config = (): FrontDbTargetConfig => ({
  kind: 'front-db',
  client: 'mysql',
  connection,
  table: TABLE,
  dataSource: '11370211MB1234567X',
  createTable: true,
  batchSize: 100,
  timeoutMs: 10_000,
  concurrency: 2,
  attempts: 8,
  exchangeStatus: { accepted: [ACCEPTED], rejected: ['2'] },
});

/** A license whose holder's name, address and business item hold `v`, and its key too with `inKey`. */
function itemHolding(n: number, v: string, inKey: boolean): DeliveryItem {
  const base = deliveryItem(n, { target: 'city' });
  const license = sampleLicense(n, {
    holder: { name: `王${v}明`, idType: '111', id: '370211199001011234' },
    surface: { businessItems: [`预包装${v}`], address: `黄岛区${v}1号` },
  });
  return inKey
    ? { ...base, key: `${base.key}:${v}`, licenseId: `${base.licenseId}${v}`, license }
    : { ...base, license };
}

/** A statement in a session of the server's default mode, where mysql2 writes values as read. */
async function plain<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: db });
  try {
    const [rows] = await c.query(sql, values);
    return rows as T[];
  } finally {
    await c.end();
  }
}

describe('front-db target on MariaDB in sql_mode NO_BACKSLASH_ESCAPES', () => {
  let target: FrontDbTarget;
  beforeAll(() => {
    target = new FrontDbTarget('city', config());
  });
  afterAll(async () => {
    await target?.close();
  });

  const cases = VALUES.flatMap((v) => [
    { v, inKey: false, what: 'text holds' },
    { v, inKey: true, what: 'key and text hold' },
  ]);
  cases.forEach(({ v, inKey, what }, i) => {
    it(`writes a license whose ${what} ${JSON.stringify(v)} as sent, and reads its status by key`, async () => {
      const item = itemHolding(i + 1, v, inKey);
      const [outcome] = await target.deliver([item]);
      expect([outcome?.key, outcome?.state]).toEqual([item.key, 'submitted']);

      const rows = await plain<{ k: string; p: string }>(
        `select DELIVERY_KEY as k, PAYLOAD as p from \`${TABLE}\` where LICENSE_ID = ?`,
        [item.licenseId],
      );
      expect(rows.map((r) => r.k)).toEqual([item.key]);
      const payload = JSON.parse(rows[0]?.p ?? '{}') as { czzt?: string; zmxx?: unknown };
      expect(payload.czzt).toBe(item.license.holder.name);
      expect(payload.zmxx).toEqual(item.license.surface);

      // A lost answer's read-back finds the row stored as a send writes it.
      expect([...(await target.heldAsSent([item]))]).toEqual([item.key]);

      // The exchange system's decision, read by the key.
      await plain(`update \`${TABLE}\` set EXCHANGE_STATUS = ? where LICENSE_ID = ?`, [
        ACCEPTED,
        item.licenseId,
      ]);
      const polled = await target.poll?.([{ key: item.key, platformId: null, receipt: null }]);
      expect(polled?.map((o) => [o.key, o.state])).toEqual([[item.key, 'accepted']]);
    });
  });

  it('`config check --connect` checks the table and the grants in such a session', async () => {
    const checking = new FrontDbTarget('city', config());
    try {
      await expect(checking.checkConnection()).resolves.toBeUndefined();
    } finally {
      await checking.close();
    }
  });

  it('the sessions it wrote and read in were in the mode (the city server played)', () => {
    expect(modes.length).toBeGreaterThan(0);
    for (const mode of modes) expect(mode).toMatch(/(^|,)NO_BACKSLASH_ESCAPES(,|$)/);
  });
});
