/**
 * A login with write rights, and query streams that try to lift read-only: nothing they read may
 * write, on any page. Real PostgreSQL and MariaDB; the superuser / root logins of the test servers
 * are logins with every right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { readAll } from './conformance.js';
import {
  createMariadbDatabase,
  createPgDatabase,
  type FreshMariadb,
  type FreshPg,
  MARIADB,
  PG,
} from './servers.js';

const ROWS = 50;
const PAGE = 10;

describe('PostgreSQL: every read is a READ ONLY transaction', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    const c = fresh.client;
    await c.query('CREATE TABLE t (id integer PRIMARY KEY, mc text)');
    await c.query(`INSERT INTO t SELECT g, 'name ' || g FROM generate_series(1, ${ROWS}) g`);
    await c.query('CREATE TABLE victim (n integer)');
    await c.query('CREATE SEQUENCE victim_seq');
    // What a query stream's function can do: switch the session default off for later pages...
    await c.query(`CREATE FUNCTION lift_read_only() RETURNS integer LANGUAGE plpgsql AS $$
      BEGIN PERFORM set_config('default_transaction_read_only', 'off', false); RETURN 1; END $$`);
    // ...and write whenever the transaction it runs in allows it (quietly, so the read goes on).
    await c.query(`CREATE FUNCTION write_victim() RETURNS integer LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO victim VALUES (1); PERFORM setval('victim_seq', 1000); RETURN 1;
      EXCEPTION WHEN read_only_sql_transaction THEN RETURN 0; END $$`);
    const config: SourceConfig = {
      kind: 'postgres',
      connection: { host: PG.host, port: PG.port, user: PG.user, database: fresh.database },
      trim: 'all',
      pageSize: PAGE,
    };
    source = await openSource('pg-hostile', config);
  });
  afterAll(async () => {
    await source.close();
    await fresh.drop();
  });

  it('a query that lifts read-only and calls a writing function writes nothing, page after page', async () => {
    const stream: StreamSpec = {
      table: 'hostile',
      key: 'id',
      query: 'SELECT id, mc, lift_read_only() AS lifted, write_victim() AS wrote FROM t',
    };
    for (let round = 0; round < 2; round++) {
      const pages = await readAll(source, stream, PAGE);
      expect(pages.length).toBe(ROWS / PAGE);
      expect(pages.flatMap((p) => p.rows.map((r) => r.values.wrote))).toEqual(Array(ROWS).fill(0));
    }
    // Counts, key scans and bucket digests (reconciliation) run the query too.
    expect(await source.count(stream)).toBe(ROWS);
    const keys: string[] = [];
    for await (const chunk of source.keys(stream, { chunkSize: PAGE })) keys.push(...chunk);
    expect(keys).toHaveLength(ROWS);
    const digests = await source.bucketDigests?.(stream, { buckets: 4 });
    expect(digests?.reduce((n, d) => n + d.count, 0)).toBe(ROWS);
    const written = await fresh.client.query('SELECT count(*)::int AS n FROM victim');
    expect(written.rows[0].n).toBe(0);
    const seq = await fresh.client.query('SELECT last_value::int AS v, is_called FROM victim_seq');
    expect(seq.rows[0]).toEqual({ v: 1, is_called: false });
  });

  it('a query ending in a -- comment reads every row', async () => {
    const pages = await readAll(
      source,
      { table: 'commented', key: 'id', query: 'SELECT id, mc FROM t -- all' },
      PAGE,
    );
    expect(pages.flatMap((p) => p.rows).length).toBe(ROWS);
  });
});

describe('MariaDB: every read is a READ ONLY transaction', () => {
  let fresh: FreshMariadb;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createMariadbDatabase();
    const c = fresh.conn;
    await c.query('CREATE TABLE t (id integer PRIMARY KEY, mc varchar(40))');
    for (let i = 1; i <= ROWS; i++) await c.query('INSERT INTO t VALUES (?, ?)', [i, `name ${i}`]);
    await c.query('CREATE TABLE victim (n integer)');
    // MariaDB lets a function switch the session's read-only default off for the connection.
    await c.query(`CREATE FUNCTION lift_read_only() RETURNS integer
      BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION RETURN 0; SET SESSION tx_read_only = 0; RETURN 1; END`);
    await c.query(`CREATE FUNCTION write_victim() RETURNS integer
      BEGIN INSERT INTO victim VALUES (1); RETURN 1; END`);
    const config: SourceConfig = {
      kind: 'mysql',
      connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: fresh.database },
      trim: 'all',
      pageSize: PAGE,
    };
    source = await openSource('maria-hostile', config);
  });
  afterAll(async () => {
    await source.close();
    await fresh.drop();
  });

  it('a stream that lifts read-only cannot let another stream of the source write', async () => {
    const lift: StreamSpec = {
      table: 'lift',
      key: 'id',
      query: 'SELECT id, lift_read_only() AS lifted FROM t',
    };
    const write: StreamSpec = {
      table: 'write',
      key: 'id',
      query: 'SELECT id, write_victim() AS wrote FROM t',
    };
    // Both pooled connections get lifted, whichever the writer then draws.
    await Promise.all([readAll(source, lift, PAGE), readAll(source, lift, PAGE)]);
    for (let round = 0; round < 3; round++) {
      await expect(readAll(source, write, PAGE)).rejects.toThrow(/READ ONLY transaction/);
      await readAll(source, lift, PAGE);
    }
    const [rows] = (await fresh.conn.query('SELECT count(*) AS n FROM victim')) as unknown as [
      { n: number }[],
    ];
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('a query ending in a -- or # comment reads every row', async () => {
    for (const query of ['SELECT id, mc FROM t -- all', 'SELECT id, mc FROM t # all']) {
      const pages = await readAll(source, { table: 'commented', key: 'id', query }, PAGE);
      expect(pages.flatMap((p) => p.rows).length).toBe(ROWS);
    }
  });
});
